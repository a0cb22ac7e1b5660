//! What a payer asks for: which charges (or a top-up of the personal
//! account), and how they pay — a new card, a linked card, СБП, a wallet, or
//! the personal account's balance. Card details are checked here and passed
//! on to the acquirer; they are never stored.

use chrono::{Datelike, NaiveDate};
use sep_kernel::{FieldError, FieldErrors, Kopecks, Rule, Uin};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use sep_contracts::payments::Method;

#[derive(Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CardInput {
    pub number: String,
    /// As printed on the card: `MM/YY`.
    pub expiry: String,
    pub cvc: String,
}

/// The body of `POST /api/v1/payments`.
#[derive(Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PaymentInput {
    /// УИНs of the charges to pay.
    pub charges: Vec<String>,
    /// Or: an amount to put on the personal account.
    pub top_up_kopecks: Option<i64>,
    pub method: Option<Method>,
    pub card: Option<CardInput>,
    /// A linked card instead of a new one.
    pub card_id: Option<Uuid>,
    /// Link the new card for later payments.
    pub save_card: bool,
    /// The account's password: paying from the balance needs it again (a
    /// stolen session must not spend the money). Never part of the request's hash.
    #[serde(skip_serializing)]
    pub password: Option<String>,
}

/// A card number that passed the Luhn check. Its Debug shows only the last
/// four digits, so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber(String);

impl CardNumber {
    pub fn parse(s: &str) -> Result<Self, Rule> {
        let d: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if !(13..=19).contains(&d.len()) || !d.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Rule("card-number-format"));
        }
        if !luhn(&d) {
            return Err(Rule("card-number-checksum"));
        }
        Ok(Self(d))
    }

    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CardNumber(…{})", &self.0[self.0.len() - 4..])
    }
}

fn luhn(d: &str) -> bool {
    let sum: u32 = d
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            match (i % 2 == 1, v * 2) {
                (true, x) if x > 9 => x - 9,
                (true, x) => x,
                (false, _) => v,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[derive(Clone, PartialEq, Eq)]
pub struct Card {
    pub number: CardNumber,
    pub expiry_month: u32,
    pub expiry_year: u32,
    pub cvc: String,
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Card({:?}, {:02}/{})",
            self.number, self.expiry_month, self.expiry_year
        )
    }
}

/// `MM/YY` (or `MM/YYYY`), not before this month.
pub fn parse_expiry(s: &str, today: NaiveDate) -> Result<(u32, u32), Rule> {
    let format = Rule("card-expiry-format");
    let (m, y) = s.trim().split_once('/').ok_or(format)?;
    let month: u32 = m.trim().parse().map_err(|_| format)?;
    let year: u32 = y.trim().parse().map_err(|_| format)?;
    let year = match y.trim().len() {
        2 => 2000 + year,
        4 => year,
        _ => return Err(format),
    };
    if !(1..=12).contains(&month) {
        return Err(format);
    }
    if (year, month) < (today.year() as u32, today.month()) {
        return Err(Rule("card-expired"));
    }
    Ok((month, year))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Charges(Vec<Uin>),
    TopUp(Kopecks),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayBy {
    NewCard { card: Card, save: bool },
    LinkedCard(Uuid),
    Sbp,
    Wallet,
    Balance,
}

impl PayBy {
    pub fn method(&self) -> Method {
        match self {
            Self::NewCard { .. } | Self::LinkedCard(_) => Method::Card,
            Self::Sbp => Method::Sbp,
            Self::Wallet => Method::Wallet,
            Self::Balance => Method::Balance,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    pub purpose: Purpose,
    pub pay_by: PayBy,
}

impl PaymentInput {
    pub fn check(&self, today: NaiveDate) -> Result<PaymentRequest, Vec<FieldError>> {
        let mut e = FieldErrors::new();
        let purpose = match (self.charges.is_empty(), self.top_up_kopecks) {
            (true, None) => {
                e.add("charges", Rule("payment-purpose-required"));
                None
            }
            (false, Some(_)) => {
                e.add("top_up_kopecks", Rule("payment-purpose-both"));
                None
            }
            (true, Some(k)) => e
                .check("top_up_kopecks", Kopecks(k).positive())
                .map(Purpose::TopUp),
            (false, None) => {
                let mut uins = Vec::new();
                for (i, raw) in self.charges.iter().enumerate() {
                    let field = format!("charges[{i}]");
                    match Uin::parse(raw) {
                        Ok(u) if uins.contains(&u) => {
                            e.push(FieldError::new(field, Rule("uin-repeated")))
                        }
                        Ok(u) => uins.push(u),
                        Err(r) => e.push(FieldError::new(field, r)),
                    }
                }
                Some(Purpose::Charges(uins))
            }
        };
        let pay_by = match self.method {
            None => {
                e.add("method", Rule("required"));
                None
            }
            Some(Method::Balance) if self.top_up_kopecks.is_some() => {
                e.add("method", Rule("top-up-from-balance"));
                None
            }
            Some(Method::Balance) => Some(PayBy::Balance),
            Some(Method::Sbp) => Some(PayBy::Sbp),
            Some(Method::Wallet) => Some(PayBy::Wallet),
            Some(Method::Card) => match (&self.card, self.card_id) {
                (_, Some(id)) => Some(PayBy::LinkedCard(id)),
                (None, None) => {
                    e.add("card.number", Rule("required"));
                    None
                }
                (Some(c), None) => {
                    let number = e.required("card.number", &c.number, CardNumber::parse);
                    let expiry = e.required("card.expiry", &c.expiry, |s| parse_expiry(s, today));
                    let cvc = c.cvc.trim();
                    if cvc.len() != 3 || !cvc.bytes().all(|b| b.is_ascii_digit()) {
                        e.add("card.cvc", Rule("cvc-format"));
                    }
                    match (number, expiry) {
                        (Some(number), Some((expiry_month, expiry_year))) => Some(PayBy::NewCard {
                            card: Card {
                                number,
                                expiry_month,
                                expiry_year,
                                cvc: cvc.to_string(),
                            },
                            save: self.save_card,
                        }),
                        _ => None,
                    }
                }
            },
        };
        e.finish(|| PaymentRequest {
            purpose: purpose.expect("checked"),
            pay_by: pay_by.expect("checked"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn codes(input: &PaymentInput) -> Vec<(String, &'static str)> {
        input
            .check(today())
            .unwrap_err()
            .iter()
            .map(|e| (e.field.to_string(), e.rule.code()))
            .collect()
    }

    #[test]
    fn a_stored_method_reads_back_as_itself_and_nothing_else() {
        for m in [Method::Card, Method::Sbp, Method::Wallet, Method::Balance] {
            assert_eq!(Method::from_stored(m.as_str()), Some(m));
        }
        assert_eq!(Method::from_stored("cash"), None);
        assert_eq!(Method::from_stored("Card"), None);
    }

    #[test]
    fn a_fine_by_card() {
        let input = PaymentInput {
            charges: vec!["52601815908301661312".into()],
            method: Some(Method::Card),
            card: Some(CardInput {
                number: "4111 1111 1111 1111".into(),
                expiry: "12/28".into(),
                cvc: "123".into(),
            }),
            ..Default::default()
        };
        let r = input.check(today()).unwrap();
        let PayBy::NewCard { card, save } = &r.pay_by else {
            panic!("{:?}", r.pay_by)
        };
        assert_eq!(card.number.digits(), "4111111111111111");
        assert_eq!((card.expiry_month, card.expiry_year), (12, 2028));
        assert!(!save);
        assert!(
            !format!("{r:?}").contains("41111111"),
            "no card number in logs"
        );
    }

    #[test]
    fn every_wrong_field_is_named() {
        let input = PaymentInput {
            charges: vec![
                "52601815908301661312".into(),
                "52601815908301661313".into(),
                "52601815908301661312".into(),
            ],
            method: Some(Method::Card),
            card: Some(CardInput {
                number: "4111 1111 1111 1112".into(),
                expiry: "10/26".into(),
                cvc: "12".into(),
            }),
            ..Default::default()
        };
        assert_eq!(
            codes(&input),
            [
                ("charges[1]".to_string(), "uin-checksum"),
                ("charges[2]".to_string(), "uin-repeated"),
                ("card.number".to_string(), "card-number-checksum"),
                ("card.expiry".to_string(), "card-expired"),
                ("card.cvc".to_string(), "cvc-format"),
            ]
        );
        let nothing = PaymentInput::default();
        assert_eq!(
            codes(&nothing),
            [
                ("charges".to_string(), "payment-purpose-required"),
                ("method".to_string(), "required")
            ]
        );
        let top_up_from_balance = PaymentInput {
            top_up_kopecks: Some(0),
            method: Some(Method::Balance),
            ..Default::default()
        };
        assert_eq!(
            codes(&top_up_from_balance),
            [
                ("top_up_kopecks".to_string(), "amount-not-positive"),
                ("method".to_string(), "top-up-from-balance")
            ]
        );
    }
}
