//! The human application number: `2026-000123-7` — year, sequence within the
//! year, and a Luhn check digit over both, so that a mistyped number is caught
//! before anyone looks it up.

use sep_kernel::Rule;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ApplicationNumber(String);

fn luhn_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn digits(year: i32, seq: i64) -> Vec<u8> {
    format!("{year:04}{seq:06}")
        .bytes()
        .map(|b| b - b'0')
        .collect()
}

impl ApplicationNumber {
    pub fn new(year: i32, seq: i64) -> Self {
        let check = luhn_digit(&digits(year, seq));
        Self(format!("{year:04}-{seq:06}-{check}"))
    }

    pub fn parse(input: &str) -> Result<Self, Rule> {
        let s = input.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let [year, seq, check] = parts.as_slice() else {
            return Err(Rule("app-number-format"));
        };
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4
            || seq.len() < 6
            || check.len() != 1
            || ![year, seq, check].iter().all(|p| all_digits(p))
        {
            return Err(Rule("app-number-format"));
        }
        let (year, seq): (i32, i64) = (
            year.parse().map_err(|_| Rule("app-number-format"))?,
            seq.parse().map_err(|_| Rule("app-number-format"))?,
        );
        let n = Self::new(year, seq);
        if n.0 != s {
            return Err(Rule("app-number-checksum"));
        }
        Ok(n)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_carry_a_check_digit_that_catches_typos() {
        let n = ApplicationNumber::new(2026, 123);
        assert!(n.as_str().starts_with("2026-000123-"), "{n}");
        assert_eq!(ApplicationNumber::parse(n.as_str()), Ok(n.clone()));
        let wrong_check = format!(
            "{}{}",
            &n.as_str()[..12],
            (n.as_str().as_bytes()[12] - b'0' + 1) % 10
        );
        assert_eq!(
            ApplicationNumber::parse(&wrong_check),
            Err(Rule("app-number-checksum"))
        );
        // A swapped pair of neighbouring digits is caught.
        let swapped = ApplicationNumber::new(2026, 123)
            .as_str()
            .replace("000123", "000213");
        assert_eq!(
            ApplicationNumber::parse(&swapped),
            Err(Rule("app-number-checksum"))
        );
        assert_eq!(
            ApplicationNumber::parse("2026-123"),
            Err(Rule("app-number-format"))
        );
        assert_eq!(ApplicationNumber::new(2026, 1234567).as_str().len(), 14);
    }
}
