//! Начисление: what an agency says someone owes, identified by УИН, with the
//! payee's requisites and, for traffic fines, the 50 % discount window.

use chrono::NaiveDate;
use sep_kernel::{
    DriverLicence, FieldError, FieldErrors, Inn, Kopecks, Rule, Snils, Uin, VehicleCertificate,
};
pub use sep_kernel::{Payee, PayeeInput};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    Tax,
    Fine,
    StateFee,
    Utility,
}

/// A discount while paid early (КоАП 32.2 ч. 1.3: half of a traffic fine
/// within 20 days of the ruling): the percentage and the last day it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    pub percent: u8,
    pub until: NaiveDate,
}

/// Who owes it, by the identifiers a person can be found by.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Payer {
    pub inn: Option<Inn>,
    pub snils: Option<Snils>,
    pub driver_licence: Option<DriverLicence>,
    pub vehicle_certificate: Option<VehicleCertificate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub uin: Uin,
    pub payer: Payer,
    pub kind: ChargeKind,
    pub purpose: String,
    pub payee: Payee,
    pub amount: Kopecks,
    pub due_on: Option<NaiveDate>,
    pub discount: Option<Discount>,
}

impl Charge {
    /// What is to be paid on `today`: the discounted amount while the window
    /// is open (rounded half up to the kopeck), the full amount after.
    pub fn amount_due(&self, today: NaiveDate) -> Kopecks {
        due(self.amount, self.discount, today)
    }
}

/// `amount` less `discount` while its window is open on `today`, rounded
/// half up to the kopeck.
pub fn due(amount: Kopecks, discount: Option<Discount>, today: NaiveDate) -> Kopecks {
    match discount {
        Some(d) if today <= d.until => {
            let kept = i64::from(100 - d.percent.min(100));
            Kopecks((amount.0 * kept + 50) / 100)
        }
        _ => amount,
    }
}

/// A charge as an agency posts it (API body).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ChargeInput {
    pub uin: String,
    pub payer_inn: Option<String>,
    pub payer_snils: Option<String>,
    /// A traffic fine names the driver licence or the vehicle's СТС.
    pub payer_driver_licence: Option<String>,
    pub payer_vehicle_certificate: Option<String>,
    pub kind: Option<ChargeKind>,
    pub purpose: String,
    pub payee_name: String,
    pub payee_inn: String,
    pub payee_kpp: String,
    pub payee_bik: String,
    pub payee_account: String,
    pub amount_kopecks: i64,
    pub due_on: Option<NaiveDate>,
    pub discount_percent: Option<u8>,
    pub discount_until: Option<NaiveDate>,
}

impl ChargeInput {
    pub fn payee(&self) -> PayeeInput {
        PayeeInput {
            name: self.payee_name.clone(),
            inn: self.payee_inn.clone(),
            kpp: self.payee_kpp.clone(),
            bik: self.payee_bik.clone(),
            account: self.payee_account.clone(),
        }
    }

    pub fn set_payee(&mut self, payee: &PayeeInput) {
        self.payee_name = payee.name.clone();
        self.payee_inn = payee.inn.clone();
        self.payee_kpp = payee.kpp.clone();
        self.payee_bik = payee.bik.clone();
        self.payee_account = payee.account.clone();
    }

    pub fn check(&self) -> Result<Charge, Vec<FieldError>> {
        let mut e = FieldErrors::new();
        let uin = e.required("uin", &self.uin, Uin::parse);
        let payer = Payer {
            inn: e.optional("payer_inn", self.payer_inn.as_deref(), Inn::parse),
            snils: e.optional("payer_snils", self.payer_snils.as_deref(), Snils::parse),
            driver_licence: e.optional(
                "payer_driver_licence",
                self.payer_driver_licence.as_deref(),
                DriverLicence::parse,
            ),
            vehicle_certificate: e.optional(
                "payer_vehicle_certificate",
                self.payer_vehicle_certificate.as_deref(),
                VehicleCertificate::parse,
            ),
        };
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if [
            &self.payer_inn,
            &self.payer_snils,
            &self.payer_driver_licence,
            &self.payer_vehicle_certificate,
        ]
        .into_iter()
        .all(blank)
        {
            e.add("payer_inn", Rule("payer-required"));
        }
        if self.kind.is_none() {
            e.add("kind", Rule("required"));
        }
        let purpose = self
            .purpose
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if purpose.is_empty() {
            e.add("purpose", Rule("required"));
        } else if purpose.chars().count() > 210 {
            // ГИС ГМП's limit on the purpose of payment.
            e.add("purpose", Rule("text-too-long"));
        }
        let payee = self.payee().check(&mut e);
        let amount = e.check("amount_kopecks", Kopecks(self.amount_kopecks).positive());
        let discount = match (self.discount_percent, self.discount_until) {
            (None, None) => None,
            (Some(p), Some(until)) if (1..=99).contains(&p) => Some(Discount { percent: p, until }),
            (Some(_), Some(_)) => {
                e.add("discount_percent", Rule("discount-range"));
                None
            }
            _ => {
                e.add("discount_until", Rule("required-with-pair"));
                None
            }
        };
        e.finish(|| Charge {
            uin: uin.expect("checked"),
            payer,
            kind: self.kind.expect("checked"),
            purpose,
            payee: payee.expect("checked"),
            amount: amount.expect("checked"),
            due_on: self.due_on,
            discount,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fine() -> ChargeInput {
        ChargeInput {
            uin: "52601815908301661312".into(),
            payer_inn: Some("500100732259".into()),
            payer_snils: None,
            payer_driver_licence: None,
            payer_vehicle_certificate: None,
            kind: Some(ChargeKind::Fine),
            purpose: "Штраф по постановлению".into(),
            payee_name: "УФК по г. Москве (ГУ МВД России по г. Москве)".into(),
            payee_inn: "7707083893".into(),
            payee_kpp: "773601001".into(),
            payee_bik: "044525225".into(),
            payee_account: "30101810400000000225".into(),
            amount_kopecks: 50_000,
            due_on: None,
            discount_percent: Some(50),
            discount_until: NaiveDate::from_ymd_opt(2026, 12, 14),
        }
    }

    #[test]
    fn a_fine_costs_half_inside_the_window() {
        let c = fine().check().unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(c.amount_due(day(14)), Kopecks(25_000));
        assert_eq!(c.amount_due(day(15)), Kopecks(50_000));
        let odd = Charge {
            amount: Kopecks(50_001),
            ..c
        };
        assert_eq!(odd.amount_due(day(1)), Kopecks(25_001), "rounded half up");
    }

    #[test]
    fn every_wrong_requisite_is_named() {
        let mut bad = fine();
        bad.uin = "52601815908301661313".into();
        bad.payee_account = "30101810400000000226".into();
        bad.payee_kpp = "77".into();
        bad.amount_kopecks = 0;
        bad.discount_percent = Some(100);
        let got: Vec<(String, &str)> = bad
            .check()
            .unwrap_err()
            .iter()
            .map(|e| (e.field.to_string(), e.rule.code()))
            .collect();
        assert_eq!(
            got,
            [
                ("uin".to_string(), "uin-checksum"),
                ("payee_kpp".to_string(), "kpp-format"),
                ("payee_account".to_string(), "account-key"),
                ("amount_kopecks".to_string(), "amount-not-positive"),
                ("discount_percent".to_string(), "discount-range"),
            ]
        );
    }
}
