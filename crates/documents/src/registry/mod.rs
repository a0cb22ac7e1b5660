//! The demo registries inside СЭП: what ФНС, СФР, МВД, ФОМС and ФССП would
//! answer about a person. The answers are made up but stable — derived from
//! a keyed hash of the person's identifiers, so the same person always gets
//! the same income, policy number or proceedings, and nothing here can be
//! mistaken for a real registry. (The exchange issue moves them to agency
//! peers behind the interagency bus; the documents stay the same.)

mod money;
mod records;
mod status;

use super::model::{Kind, Sheet};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// What the registries are asked with: the person as their profile says.
pub use sep_identity::model::Holder as Person;

/// A registry's answer dated `today` (most of them are).
fn as_of(today: NaiveDate) -> Sheet {
    Sheet {
        subtitle: Some(format!("по состоянию на {}", date(today))),
        ..Sheet::default()
    }
}

fn birth(person: &Person) -> String {
    person.birth_date.map(date).unwrap_or_else(|| "—".into())
}

fn or_dash(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

/// The stable randomness of one person's registry answers.
pub struct Seed([u8; 32]);

impl Seed {
    pub fn new(bytes: &[u8]) -> Self {
        Self(Sha256::digest(bytes).into())
    }

    /// A number in `0..modulo`, the same every time for the same `label`.
    fn pick(&self, label: &str, modulo: u64) -> u64 {
        let mut h = Sha256::new();
        h.update(self.0);
        h.update(label.as_bytes());
        let d = h.finalize();
        u64::from_be_bytes(d[..8].try_into().expect("8 bytes")) % modulo.max(1)
    }

    fn between(&self, label: &str, low: u64, high: u64) -> u64 {
        low + self.pick(label, high - low + 1)
    }

    /// A day in `year`.
    fn day_in(&self, label: &str, year: i32) -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year");
        first + chrono::Days::new(self.pick(label, 365))
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The content of a `kind` document about `person`, as of `today`.
/// Decisions are not the registries' business and come out empty.
pub fn compose(kind: Kind, person: &Person, seed: &Seed, today: NaiveDate) -> Sheet {
    match kind {
        Kind::Income => money::income(person, seed, today),
        Kind::Pension => money::pension(person, seed, today),
        Kind::Subsidies => money::subsidies(person, seed, today),
        Kind::TaxStatus => status::tax_status(person, seed, today),
        Kind::Registration => status::registration(person, seed, today),
        Kind::MedicalInsurance => status::medical_insurance(person, seed, today),
        Kind::Debts => records::debts(person, seed, today),
        Kind::NoCriminalRecord => records::no_criminal_record(person, today),
        Kind::RepresentativePowers => records::powers(person, seed, today),
        Kind::Decision => Sheet::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn person() -> Person {
        Person {
            full_name: "Петрова Анна Сергеевна".into(),
            birth_date: NaiveDate::from_ymd_opt(1985, 3, 5),
            inn: Some("500100732259".into()),
            snils: Some("112-233-445 95".into()),
            passport: Some("45 06 123456".into()),
            address: Some("101000, г. Москва, ул. Тверская, д. 1".into()),
            region_code: Some("77".into()),
            representative: true,
            level: sep_identity::model::AssuranceLevel::Confirmed,
        }
    }

    #[test]
    fn the_same_person_gets_the_same_answers_and_another_person_others() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let a = Seed::new(b"112-233-445 95");
        let b = Seed::new(b"112-233-445 96");
        for kind in Kind::ORDERABLE {
            let first = compose(kind, &person(), &a, today);
            assert!(!first.blocks.is_empty(), "{kind:?}");
            assert_eq!(first, compose(kind, &person(), &a, today), "{kind:?}");
        }
        assert_ne!(
            compose(Kind::Income, &person(), &a, today).text(),
            compose(Kind::Income, &person(), &b, today).text()
        );
    }
}
