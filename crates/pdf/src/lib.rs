//! A small document composer over krilla: titles, paragraphs, label–value
//! fields, tables that continue on the next page with their header, QR codes
//! and page numbers. Layout happens first, into drawing operations per page,
//! because krilla's pages borrow the document and cannot stay open while we
//! decide where the next page begins. Hand-written because krilla draws one
//! line of text at a time and no crate here lays out Russian documents.

mod fonts;
mod qr;
mod seal;

pub use seal::Stamp;

pub use fonts::{Weight, width, wrap};

use chrono::{DateTime, Datelike, Timelike, Utc};
use krilla::Document;
use krilla::action::LinkAction;
use krilla::annotation::{LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::TextDirection;

/// A4 in points.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;
const BODY: f32 = 10.0;
const LEADING: f32 = 1.35;
const CELL_PAD: f32 = 4.0;

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        text: String,
        ink: Ink,
    },
    Fill(Rect),
    Line(f32, f32, f32, f32),
    /// A stroked rectangle (the signature stamp's frame).
    Frame(Rect, Ink),
    /// A clickable area that opens an address.
    Link(Rect, String),
}

/// The colour text and frames are drawn in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ink {
    Black,
    Grey,
    /// The conventional colour of an electronic-signature stamp.
    Blue,
}

impl Ink {
    fn color(self) -> rgb::Color {
        match self {
            Ink::Black => rgb::Color::new(0, 0, 0),
            Ink::Grey => rgb::Color::new(90, 90, 90),
            Ink::Blue => rgb::Color::new(24, 64, 160),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Align {
    Left,
    Right,
}

/// A table column: its title, its share of the text width and alignment.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub title: &'a str,
    pub share: f32,
    pub align: Align,
}

/// What the PDF says about itself (shown by readers, indexed by archives).
pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    /// Fixed by the caller (e.g. the moment the payment settled), so that the
    /// same document renders to the same bytes however often it is asked for.
    pub created: DateTime<Utc>,
    /// The running footer left of the page number.
    pub footer: &'a str,
}

pub struct Composer {
    pages: Vec<Vec<Op>>,
    /// The top of the free space on the current page.
    y: f32,
}

impl Default for Composer {
    fn default() -> Self {
        Self::new()
    }
}

impl Composer {
    pub fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    fn text_width() -> f32 {
        PAGE_W - 2.0 * MARGIN
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("there is always a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn room_for(&mut self, height: f32) {
        if self.y + height > PAGE_H - MARGIN - 20.0 && self.y > MARGIN {
            self.new_page();
        }
    }

    fn line_at(&mut self, x: f32, size: f32, weight: Weight, text: &str, ink: Ink) {
        let baseline = self.y + size;
        self.ops().push(Op::Text {
            x,
            y: baseline,
            size,
            weight,
            text: text.to_string(),
            ink,
        });
    }

    fn lines(&mut self, x: f32, max: f32, size: f32, weight: Weight, text: &str, ink: Ink) {
        for line in wrap(weight, size, text, max) {
            self.room_for(size * LEADING);
            self.line_at(x, size, weight, &line, ink);
            self.y += size * LEADING;
        }
    }

    pub fn title(&mut self, text: &str) {
        self.lines(
            MARGIN,
            Self::text_width(),
            15.0,
            Weight::Bold,
            text,
            Ink::Black,
        );
        self.y += 6.0;
    }

    pub fn heading(&mut self, text: &str) {
        self.room_for(40.0);
        self.y += 6.0;
        self.lines(
            MARGIN,
            Self::text_width(),
            11.5,
            Weight::Bold,
            text,
            Ink::Black,
        );
        self.y += 2.0;
    }

    pub fn paragraph(&mut self, text: &str) {
        self.lines(
            MARGIN,
            Self::text_width(),
            BODY,
            Weight::Regular,
            text,
            Ink::Black,
        );
        self.y += 4.0;
    }

    /// Small grey print (notes, legal lines).
    pub fn note(&mut self, text: &str) {
        self.lines(
            MARGIN,
            Self::text_width(),
            8.0,
            Weight::Regular,
            text,
            Ink::Grey,
        );
        self.y += 3.0;
    }

    pub fn space(&mut self, points: f32) {
        self.y += points;
    }

    pub fn rule(&mut self) {
        self.room_for(8.0);
        self.y += 4.0;
        let y = self.y;
        self.ops().push(Op::Line(MARGIN, y, PAGE_W - MARGIN, y));
        self.y += 6.0;
    }

    /// «Label: value» rows, labels in a left column in grey, values wrapped
    /// in the right one.
    pub fn fields(&mut self, rows: &[(&str, String)]) {
        let label_w = Self::text_width() * 0.34;
        let value_w = Self::text_width() - label_w - 8.0;
        for (label, value) in rows {
            let labels = wrap(Weight::Regular, BODY, label, label_w);
            let values = wrap(Weight::Regular, BODY, value, value_w);
            let height = labels.len().max(values.len()) as f32 * BODY * LEADING;
            self.room_for(height);
            let top = self.y;
            for (i, l) in labels.iter().enumerate() {
                self.y = top + i as f32 * BODY * LEADING;
                self.line_at(MARGIN, BODY, Weight::Regular, l, Ink::Grey);
            }
            for (i, v) in values.iter().enumerate() {
                self.y = top + i as f32 * BODY * LEADING;
                self.line_at(MARGIN + label_w + 8.0, BODY, Weight::Regular, v, Ink::Black);
            }
            self.y = top + height + 2.0;
        }
    }

    /// A ruled table; its header repeats on every page it runs onto.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>], size: f32) {
        let total: f32 = columns.iter().map(|c| c.share).sum();
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| c.share / total * Self::text_width())
            .collect();
        let header: Vec<String> = columns.iter().map(|c| c.title.to_string()).collect();
        self.room_for(60.0);
        self.table_row(columns, &widths, &header, size, Weight::Bold);
        for row in rows {
            let height = Self::row_height(&widths, row, size, Weight::Regular);
            if self.y + height > PAGE_H - MARGIN - 20.0 {
                self.new_page();
                self.table_row(columns, &widths, &header, size, Weight::Bold);
            }
            self.table_row(columns, &widths, row, size, Weight::Regular);
        }
        self.y += 6.0;
    }

    fn row_height(widths: &[f32], cells: &[String], size: f32, weight: Weight) -> f32 {
        let lines = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| wrap(weight, size, c, w - 2.0 * CELL_PAD).len())
            .max()
            .unwrap_or(1);
        lines as f32 * size * LEADING + 2.0 * CELL_PAD
    }

    fn table_row(
        &mut self,
        columns: &[Column],
        widths: &[f32],
        cells: &[String],
        size: f32,
        weight: Weight,
    ) {
        let height = Self::row_height(widths, cells, size, weight);
        let top = self.y;
        let mut x = MARGIN;
        for ((cell, w), column) in cells.iter().zip(widths).zip(columns) {
            for (i, line) in wrap(weight, size, cell, w - 2.0 * CELL_PAD)
                .iter()
                .enumerate()
            {
                let lx = match column.align {
                    Align::Left => x + CELL_PAD,
                    Align::Right => x + w - CELL_PAD - width(weight, size, line),
                };
                self.y = top + CELL_PAD + i as f32 * size * LEADING;
                self.line_at(lx, size, weight, line, Ink::Black);
            }
            x += w;
        }
        let bottom = top + height;
        let ops = self.ops();
        ops.push(Op::Line(MARGIN, top, PAGE_W - MARGIN, top));
        ops.push(Op::Line(MARGIN, bottom, PAGE_W - MARGIN, bottom));
        let mut x = MARGIN;
        ops.push(Op::Line(x, top, x, bottom));
        for w in widths {
            x += w;
            ops.push(Op::Line(x, top, x, bottom));
        }
        self.y = bottom;
    }

    /// A QR code of `side` points with caption lines to its right.
    pub fn qr(&mut self, payload: &str, side: f32, caption: &[&str]) {
        self.room_for(side + 4.0);
        let (left, top) = (MARGIN, self.y);
        let cell = self.qr_only(payload, left, top, side);
        let text_x = left + side + 10.0;
        let max = PAGE_W - MARGIN - text_x;
        self.y = top + cell * 4.0;
        for line in caption {
            for l in wrap(Weight::Regular, 8.5, line, max) {
                self.line_at(text_x, 8.5, Weight::Regular, &l, Ink::Grey);
                self.y += 8.5 * LEADING;
            }
        }
        self.y = self.y.max(top + side) + 4.0;
    }

    /// Draws the QR code of `payload` in a square of `side` at (`left`,
    /// `top`); returns the size of one module.
    fn qr_only(&mut self, payload: &str, left: f32, top: f32, side: f32) -> f32 {
        let modules = qr::modules(payload);
        let cell = side / modules.side as f32;
        for (x, y, run) in modules.runs {
            let rect = Rect::from_xywh(
                left + x as f32 * cell,
                top + y as f32 * cell,
                run as f32 * cell,
                cell,
            )
            .expect("a module has a positive size");
            self.ops().push(Op::Fill(rect));
        }
        cell
    }

    /// The PDF's bytes.
    pub fn finish(self, meta: Meta) -> Vec<u8> {
        let mut document = Document::new();
        let count = self.pages.len();
        for (n, ops) in self.pages.into_iter().enumerate() {
            let settings = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid page");
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            let footer = format!("{} · стр. {} из {}", meta.footer, n + 1, count);
            let footer_op = Op::Text {
                x: MARGIN,
                y: PAGE_H - MARGIN + 10.0,
                size: 7.5,
                weight: Weight::Regular,
                text: footer,
                ink: Ink::Grey,
            };
            for op in ops.iter().chain(std::iter::once(&footer_op)) {
                match op {
                    Op::Text {
                        x,
                        y,
                        size,
                        weight,
                        text,
                        ink,
                    } => {
                        surface.set_fill(Some(Fill {
                            paint: ink.color().into(),
                            ..Fill::default()
                        }));
                        surface.draw_text(
                            Point::from_xy(*x, *y),
                            fonts::font(*weight),
                            *size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Op::Fill(rect) => {
                        surface.set_fill(Some(Fill::default()));
                        let mut path = PathBuilder::new();
                        path.push_rect(*rect);
                        if let Some(path) = path.finish() {
                            surface.draw_path(&path);
                        }
                    }
                    Op::Line(x1, y1, x2, y2) => {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: 0.6,
                            paint: rgb::Color::new(120, 120, 120).into(),
                            ..Stroke::default()
                        }));
                        let mut path = PathBuilder::new();
                        path.move_to(*x1, *y1);
                        path.line_to(*x2, *y2);
                        if let Some(path) = path.finish() {
                            surface.draw_path(&path);
                        }
                        surface.set_stroke(None);
                    }
                    Op::Frame(rect, ink) => {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: 1.4,
                            paint: ink.color().into(),
                            ..Stroke::default()
                        }));
                        let mut path = PathBuilder::new();
                        path.push_rect(*rect);
                        if let Some(path) = path.finish() {
                            surface.draw_path(&path);
                        }
                        surface.set_stroke(None);
                    }
                    Op::Link(..) => {}
                }
            }
            surface.finish();
            for op in &ops {
                if let Op::Link(rect, uri) = op {
                    page.add_annotation(
                        LinkAnnotation::new(
                            *rect,
                            Target::Action(LinkAction::new(uri.clone()).into()),
                        )
                        .into(),
                    );
                }
            }
            page.finish();
        }
        document.set_metadata(
            Metadata::new()
                .title(meta.title.to_string())
                .authors(vec![meta.author.to_string()])
                .creator("СЭП".to_string())
                .language("ru-RU".to_string())
                .creation_date(pdf_date(meta.created)),
        );
        document
            .finish()
            .expect("a document of text, lines and squares always serialises")
    }
}

fn pdf_date(at: DateTime<Utc>) -> PdfDateTime {
    PdfDateTime::new(at.year() as u16)
        .month(at.month() as u8)
        .day(at.day() as u8)
        .hour(at.hour() as u8)
        .minute(at.minute() as u8)
        .second(at.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_table_runs_onto_more_pages_and_renders() {
        let mut c = Composer::new();
        c.title("Выписка по лицевому счёту");
        let columns = [
            Column {
                title: "Дата",
                share: 1.0,
                align: Align::Left,
            },
            Column {
                title: "Сумма",
                share: 1.0,
                align: Align::Right,
            },
        ];
        let rows: Vec<Vec<String>> = (0..120)
            .map(|i| vec![format!("строка {i}"), format!("{i},00 ₽")])
            .collect();
        c.table(&columns, &rows, 9.0);
        c.qr("ST00012|Name=УФК", 90.0, &["Проверка"]);
        assert!(c.pages.len() >= 3, "{}", c.pages.len());
        let at = DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
            .unwrap()
            .to_utc();
        let meta = || Meta {
            title: "Выписка",
            author: "СЭП",
            created: at,
            footer: "СЭП",
        };
        let bytes = c.finish(meta());
        assert!(bytes.starts_with(b"%PDF-"));
        let mut again = Composer::new();
        again.title("Выписка по лицевому счёту");
        assert_eq!(
            again.finish(meta()),
            Composer::new_titled("Выписка по лицевому счёту").finish(meta())
        );
    }

    impl Composer {
        fn new_titled(t: &str) -> Self {
            let mut c = Self::new();
            c.title(t);
            c
        }
    }
}
