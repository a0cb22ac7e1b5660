//! The receipt (квитанция) of a successful payment, as a PDF. Documents are
//! in Russian whatever the page's language: they are shown to agencies.

use chrono::{DateTime, Utc};
use sep_kernel::Kopecks;
use sep_pdf::{Align, Column, Composer, Meta};
use sep_platform::clock;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ReceiptLine {
    pub uin: String,
    pub purpose: String,
    pub payee_name: String,
    pub payee_inn: String,
    pub payee_kpp: String,
    pub payee_bik: String,
    pub payee_account: String,
    pub amount_kopecks: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub operation_number: String,
    pub paid_at: DateTime<Utc>,
    pub payer: String,
    /// card, sbp, wallet, balance
    pub method: String,
    pub card: Option<String>,
    pub acquirer_payment_id: Option<String>,
    pub amount_kopecks: i64,
    /// The charges paid; none for a top-up of the personal account.
    pub lines: Vec<ReceiptLine>,
    /// Where the QR code leads: the public check of this receipt.
    pub check_url: String,
}

pub fn method_label(method: &str, card: Option<&str>) -> String {
    match (method, card) {
        ("card", Some(mask)) => format!("Банковская карта {mask}"),
        ("card", None) => "Банковская карта".into(),
        ("sbp", _) => "Система быстрых платежей (СБП)".into(),
        ("wallet", _) => "Электронный кошелёк".into(),
        _ => "Лицевой счёт в СЭП".into(),
    }
}

impl Receipt {
    pub fn file_name(&self) -> String {
        format!("Квитанция {}.pdf", self.operation_number)
    }

    pub fn render(&self) -> Vec<u8> {
        let mut c = Composer::new();
        c.note("СЭП — портал государственных услуг · сервис электронных платежей");
        c.title(&format!("Квитанция об оплате № {}", self.operation_number));
        c.fields(&[
            ("Статус", "Исполнен".to_string()),
            (
                "Дата и время операции",
                format!("{} (МСК)", clock::show(self.paid_at)),
            ),
            ("Номер операции", self.operation_number.clone()),
            ("Плательщик", self.payer.clone()),
            (
                "Способ оплаты",
                method_label(&self.method, self.card.as_deref()),
            ),
            (
                "Идентификатор платежа в банке",
                self.acquirer_payment_id
                    .clone()
                    .unwrap_or_else(|| "—".into()),
            ),
        ]);
        if self.lines.is_empty() {
            c.heading("Пополнение лицевого счёта");
            c.fields(&[(
                "Зачислено на лицевой счёт",
                Kopecks(self.amount_kopecks).exact(),
            )]);
        }
        for (i, line) in self.lines.iter().enumerate() {
            c.heading(&format!("Начисление {} из {}", i + 1, self.lines.len()));
            c.fields(&[
                ("УИН", line.uin.clone()),
                ("Назначение платежа", line.purpose.clone()),
                ("Получатель", line.payee_name.clone()),
                (
                    "ИНН / КПП получателя",
                    format!("{} / {}", line.payee_inn, line.payee_kpp),
                ),
                ("БИК банка получателя", line.payee_bik.clone()),
                ("Счёт получателя", line.payee_account.clone()),
                ("Сумма", Kopecks(line.amount_kopecks).exact()),
            ]);
        }
        c.rule();
        c.table(
            &[
                Column {
                    title: "Итого оплачено",
                    share: 2.0,
                    align: Align::Left,
                },
                Column {
                    title: "Комиссия",
                    share: 1.0,
                    align: Align::Right,
                },
                Column {
                    title: "Сумма",
                    share: 1.0,
                    align: Align::Right,
                },
            ],
            &[vec![
                format!("{} начисл.", self.lines.len().max(1)),
                Kopecks(0).exact(),
                Kopecks(self.amount_kopecks).exact(),
            ]],
            10.0,
        );
        c.qr(
            &self.check_url,
            96.0,
            &[
                "Подлинность квитанции можно проверить, отсканировав QR-код или открыв адрес ниже.",
                "Квитанция сформирована автоматически и не требует подписи и печати.",
            ],
        );
        c.note(&self.check_url);
        c.finish(Meta {
            title: &format!("Квитанция об оплате № {}", self.operation_number),
            author: "СЭП",
            created: self.paid_at,
            footer: &format!("Квитанция № {}", self.operation_number),
        })
    }
}
