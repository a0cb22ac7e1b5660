//! A document's content as its registry gives it (headings, label–value
//! fields, tables, paragraphs), and how an issued document looks: the
//! issuer, number and date at the top, the content, the QR code to its
//! public check and the signature stamp at the foot.

use chrono::{DateTime, Utc};
use sep_pdf::{Align, Column, Composer, Meta, Stamp};
use sep_platform::clock;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Fields(Vec<(String, String)>),
    /// Columns as (title, share of the width, right-aligned?).
    Table {
        columns: Vec<(String, f32, bool)>,
        rows: Vec<Vec<String>>,
    },
    Paragraph(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// The line under the title («за 2025 год»).
    pub subtitle: Option<String>,
    pub blocks: Vec<Block>,
}

impl Sheet {
    pub fn fields(mut self, rows: &[(&str, String)]) -> Self {
        self.blocks.push(Block::Fields(
            rows.iter()
                .map(|(l, v)| (l.to_string(), v.clone()))
                .collect(),
        ));
        self
    }

    pub fn heading(mut self, text: &str) -> Self {
        self.blocks.push(Block::Heading(text.into()));
        self
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }

    pub fn table(mut self, columns: &[(&str, f32, bool)], rows: Vec<Vec<String>>) -> Self {
        self.blocks.push(Block::Table {
            columns: columns
                .iter()
                .map(|(t, s, r)| (t.to_string(), *s, *r))
                .collect(),
            rows,
        });
        self
    }

    /// All the text of the content, for search and for tests of the registries.
    pub fn text(&self) -> String {
        let mut out = self.subtitle.clone().unwrap_or_default();
        for b in &self.blocks {
            out.push('\n');
            match b {
                Block::Heading(t) | Block::Paragraph(t) => out.push_str(t),
                Block::Fields(rows) => {
                    for (l, v) in rows {
                        out.push_str(&format!("{l}: {v}\n"));
                    }
                }
                Block::Table { rows, .. } => {
                    for r in rows {
                        out.push_str(&r.join(" | "));
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}

/// What issuing adds to the content.
pub struct Marks<'a> {
    pub title: &'a str,
    pub number: &'a str,
    pub agency: &'a str,
    pub issued_at: DateTime<Utc>,
    pub holder: &'a str,
    pub verify_url: &'a str,
    pub stamp: Stamp,
}

pub fn render(sheet: &Sheet, marks: &Marks) -> Vec<u8> {
    let mut c = Composer::new();
    c.note(&format!(
        "{} · документ сформирован в СЭП — портале государственных услуг",
        marks.agency
    ));
    c.title(marks.title);
    if let Some(sub) = &sheet.subtitle {
        c.paragraph(sub);
    }
    c.fields(&[
        ("Номер документа", marks.number.to_string()),
        (
            "Дата и время формирования",
            format!("{} (МСК)", clock::show(marks.issued_at)),
        ),
        ("Выдан", marks.holder.to_string()),
    ]);
    c.rule();
    for block in &sheet.blocks {
        match block {
            Block::Heading(t) => c.heading(t),
            Block::Paragraph(t) => c.paragraph(t),
            Block::Fields(rows) => {
                let rows: Vec<(&str, String)> =
                    rows.iter().map(|(l, v)| (l.as_str(), v.clone())).collect();
                c.fields(&rows);
            }
            Block::Table { columns, rows } => {
                let columns: Vec<Column> = columns
                    .iter()
                    .map(|(title, share, right)| Column {
                        title,
                        share: *share,
                        align: if *right { Align::Right } else { Align::Left },
                    })
                    .collect();
                c.table(&columns, rows, 9.0);
            }
        }
    }
    c.seal(
        marks.verify_url,
        &[
            "Проверить подлинность документа:",
            marks.verify_url,
            "Отсканируйте код или откройте адрес и загрузите файл: страница скажет, подлинный ли он, не изменён ли и не отозван ли.",
        ],
        &marks.stamp,
    );
    c.note("Документ подписан усиленной электронной подписью органа, выдавшего его; подпись — в файле .sig (CMS) рядом с документом. Любое изменение файла делает подпись недействительной.");
    let footer = format!("{} № {}", marks.title, marks.number);
    c.finish(Meta {
        title: marks.title,
        author: marks.agency,
        created: marks.issued_at,
        footer: &footer,
    })
}
