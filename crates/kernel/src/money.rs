//! Money: whole kopecks in an `i64`, never floating point. Shared: fees in
//! the catalogue, charges and ledger entries in payments.

use super::Rule;
use serde::{Deserialize, Serialize};

/// An amount in kopecks. Signed, because ledger entries move money in and out.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Kopecks(pub i64);

/// The most one payment may carry: a billion roubles.
pub const MAX_PAYMENT: Kopecks = Kopecks(100_000_000_000);

impl Kopecks {
    /// A positive amount to pay or charge, from what a person types:
    /// «1 500», «1500,50», «1 500.5», «1 500 ₽».
    pub fn parse_roubles(input: &str) -> Result<Self, Rule> {
        let s: String = input
            .trim()
            .trim_end_matches('₽')
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .collect();
        let s = s.replace(',', ".");
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !(frac.is_empty() || (digits(frac) && frac.len() <= 2)) {
            return Err(Rule("amount-format"));
        }
        let roubles: i64 = whole.parse().map_err(|_| Rule("amount-too-large"))?;
        let kopecks: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let total = roubles
            .checked_mul(100)
            .and_then(|r| r.checked_add(kopecks))
            .ok_or(Rule("amount-too-large"))?;
        Self(total).positive()
    }

    /// The amount if it is above zero and within [`MAX_PAYMENT`].
    pub fn positive(self) -> Result<Self, Rule> {
        if self.0 <= 0 {
            Err(Rule("amount-not-positive"))
        } else if self > MAX_PAYMENT {
            Err(Rule("amount-too-large"))
        } else {
            Ok(self)
        }
    }

    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    /// «1 500,00 ₽»: as payment documents write sums, kopecks always shown.
    pub fn exact(self) -> String {
        let shown = self.show();
        if self.0 % 100 == 0 {
            shown.replace("\u{a0}₽", ",00\u{a0}₽")
        } else {
            shown
        }
    }

    /// «1 500 ₽», «350,50 ₽», «−200 ₽»: as people write prices.
    pub fn show(self) -> String {
        let sign = if self.0 < 0 { "−" } else { "" };
        let abs = self.0.unsigned_abs();
        let digits = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('\u{a0}');
            }
            grouped.push(c);
        }
        match abs % 100 {
            0 => format!("{sign}{grouped}\u{a0}₽"),
            k => format!("{sign}{grouped},{k:02}\u{a0}₽"),
        }
    }
}

impl std::ops::Neg for Kopecks {
    type Output = Self;
    fn neg(self) -> Self {
        Self(-self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_people_type_them() {
        assert_eq!(Kopecks::parse_roubles("1 500"), Ok(Kopecks(150_000)));
        assert_eq!(Kopecks::parse_roubles("1500,5"), Ok(Kopecks(150_050)));
        assert_eq!(Kopecks::parse_roubles("0.01 ₽"), Ok(Kopecks(1)));
        assert_eq!(
            Kopecks::parse_roubles("0"),
            Err(Rule("amount-not-positive"))
        );
        assert_eq!(Kopecks::parse_roubles("-5"), Err(Rule("amount-format")));
        assert_eq!(Kopecks::parse_roubles("1,505"), Err(Rule("amount-format")));
        assert_eq!(Kopecks::parse_roubles("1e3"), Err(Rule("amount-format")));
        assert_eq!(
            Kopecks::parse_roubles("99999999999999999999"),
            Err(Rule("amount-too-large"))
        );
        assert_eq!(Kopecks(123_456_750).show(), "1\u{a0}234\u{a0}567,50\u{a0}₽");
        assert_eq!(Kopecks(-20_000).show(), "−200\u{a0}₽");
        assert_eq!(Kopecks(75_000).exact(), "750,00\u{a0}₽");
        assert_eq!(Kopecks(150_050).exact(), "1\u{a0}500,50\u{a0}₽");
    }
}
