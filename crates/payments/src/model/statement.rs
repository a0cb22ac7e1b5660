//! The personal account's statement (выписка) for a period, as PDF and XLSX.
//! In Russian, like every document СЭП issues.

use chrono::{DateTime, NaiveDate, Utc};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use sep_kernel::Kopecks;
use sep_pdf::{Align, Column, Composer, Meta};
use sep_platform::{clock, clock::DEFAULT_ZONE};

#[derive(Debug, Clone)]
pub struct StatementEntry {
    pub at: DateTime<Utc>,
    /// top_up, payment, refund, refund_reversal, orphan_settlement
    pub kind: String,
    /// The operation number of the payment, or the refund's reference.
    pub document: String,
    pub amount_kopecks: i64,
}

#[derive(Debug, Clone)]
pub struct Statement {
    pub holder: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening_kopecks: i64,
    pub closing_kopecks: i64,
    pub entries: Vec<StatementEntry>,
    pub made_at: DateTime<Utc>,
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "top_up" => "Пополнение счёта",
        "payment" => "Оплата начислений со счёта",
        "refund" => "Возврат на карту",
        "refund_reversal" => "Возврат не выполнен, деньги вернулись на счёт",
        _ => "Зачисление неопознанного платежа",
    }
}

impl Statement {
    fn period(&self) -> String {
        format!(
            "с {} по {}",
            self.from.format("%d.%m.%Y"),
            self.to.format("%d.%m.%Y")
        )
    }

    pub fn file_stem(&self) -> String {
        format!(
            "Выписка {}–{}",
            self.from.format("%d.%m.%Y"),
            self.to.format("%d.%m.%Y")
        )
    }

    fn credits(&self) -> i64 {
        self.entries.iter().map(|e| e.amount_kopecks.max(0)).sum()
    }

    fn debits(&self) -> i64 {
        self.entries
            .iter()
            .map(|e| (-e.amount_kopecks).max(0))
            .sum()
    }

    pub fn pdf(&self) -> Vec<u8> {
        let mut c = Composer::new();
        c.note("СЭП — портал государственных услуг · лицевой счёт");
        c.title(&format!("Выписка по лицевому счёту {}", self.period()));
        c.fields(&[
            ("Владелец счёта", self.holder.clone()),
            (
                "Остаток на начало периода",
                Kopecks(self.opening_kopecks).exact(),
            ),
            ("Поступило", Kopecks(self.credits()).exact()),
            ("Списано", Kopecks(self.debits()).exact()),
            (
                "Остаток на конец периода",
                Kopecks(self.closing_kopecks).exact(),
            ),
            (
                "Сформирована",
                format!("{} (МСК)", clock::show(self.made_at)),
            ),
        ]);
        c.space(6.0);
        if self.entries.is_empty() {
            c.paragraph("За период движений по счёту не было.");
        } else {
            let rows: Vec<Vec<String>> = self
                .entries
                .iter()
                .map(|e| {
                    vec![
                        clock::show(e.at),
                        kind_label(&e.kind).to_string(),
                        e.document.clone(),
                        Kopecks(e.amount_kopecks).exact(),
                    ]
                })
                .collect();
            c.table(
                &[
                    Column {
                        title: "Дата и время",
                        share: 1.3,
                        align: Align::Left,
                    },
                    Column {
                        title: "Операция",
                        share: 2.4,
                        align: Align::Left,
                    },
                    Column {
                        title: "Документ",
                        share: 1.6,
                        align: Align::Left,
                    },
                    Column {
                        title: "Сумма",
                        share: 1.2,
                        align: Align::Right,
                    },
                ],
                &rows,
                9.0,
            );
        }
        c.note("Выписка сформирована автоматически. Суммы в рублях; время московское.");
        c.finish(Meta {
            title: &format!("Выписка по лицевому счёту {}", self.period()),
            author: "СЭП",
            created: self.made_at,
            footer: &format!("Выписка {}", self.period()),
        })
    }

    /// The same statement as a spreadsheet: real dates and numbers, so that
    /// it sorts and sums in Excel or LibreOffice.
    pub fn xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Выписка")?;
        let bold = Format::new().set_bold();
        let money = Format::new().set_num_format("#,##0.00\\ \"₽\"");
        let money_bold = money.clone().set_bold();
        let when = Format::new()
            .set_num_format("dd.mm.yyyy hh:mm")
            .set_align(FormatAlign::Left);
        let roubles = |k: i64| k as f64 / 100.0;
        sheet.write_string_with_format(
            0,
            0,
            format!("Выписка по лицевому счёту {}", self.period()),
            &bold,
        )?;
        sheet.write_string(1, 0, "Владелец счёта")?;
        sheet.write_string(1, 1, &self.holder)?;
        let summary = [
            ("Остаток на начало периода", self.opening_kopecks),
            ("Поступило", self.credits()),
            ("Списано", self.debits()),
            ("Остаток на конец периода", self.closing_kopecks),
        ];
        for (i, (label, amount)) in summary.iter().enumerate() {
            let row = 2 + i as u32;
            sheet.write_string(row, 0, *label)?;
            sheet.write_number_with_format(row, 3, roubles(*amount), &money_bold)?;
        }
        let header = 7;
        for (col, title) in ["Дата и время", "Операция", "Документ", "Сумма, ₽"]
            .iter()
            .enumerate()
        {
            sheet.write_string_with_format(header, col as u16, *title, &bold)?;
        }
        for (i, e) in self.entries.iter().enumerate() {
            let row = header + 1 + i as u32;
            let local = e.at.with_timezone(&DEFAULT_ZONE).naive_local();
            sheet.write_datetime_with_format(row, 0, local, &when)?;
            sheet.write_string(row, 1, kind_label(&e.kind))?;
            sheet.write_string(row, 2, &e.document)?;
            sheet.write_number_with_format(row, 3, roubles(e.amount_kopecks), &money)?;
        }
        sheet.set_column_width(0, 18)?;
        sheet.set_column_width(1, 44)?;
        sheet.set_column_width(2, 40)?;
        sheet.set_column_width(3, 16)?;
        sheet.set_freeze_panes(header + 1, 0)?;
        book.save_to_buffer()
    }
}
