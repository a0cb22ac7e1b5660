//! Test cards: each number makes the sandbox behave one way, as real
//! acquirers' sandboxes do.

/// What paying with a card does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Behaviour {
    /// Confirmed, then settled; the callback says so.
    Succeeds,
    /// Confirmed, then declined by the issuer (insufficient funds).
    Declines,
    /// The confirmation is answered too late for the caller and no callback
    /// is ever sent, though the money does move: only asking finds it out.
    TimesOut,
}

/// The sandbox's cards and what they do.
pub const TEST_CARDS: &[(&str, &str, Behaviour)] = &[
    ("4111111111111111", "VISA", Behaviour::Succeeds),
    ("5555555555554444", "Mastercard", Behaviour::Succeeds),
    ("2200000000000004", "МИР", Behaviour::Succeeds),
    ("4000000000000002", "VISA", Behaviour::Declines),
    ("4000000000000119", "VISA", Behaviour::TimesOut),
];

/// A card number as typed: digits with optional spaces or dashes.
pub fn digits(number: &str) -> Option<String> {
    let d: String = number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let well_formed = (13..=19).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit());
    (well_formed && luhn(&d)).then_some(d)
}

fn luhn(d: &str) -> bool {
    let sum: u32 = d
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = v * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The brand and behaviour of a known test card.
pub fn lookup(digits: &str) -> Option<(&'static str, Behaviour)> {
    TEST_CARDS
        .iter()
        .find(|(n, _, _)| *n == digits)
        .map(|(_, brand, b)| (*brand, *b))
}

/// What a card shows once stored: the first six and last four digits.
pub fn mask(digits: &str) -> String {
    let n = digits.len();
    format!("{} •••• {}", &digits[..6], &digits[n - 4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_test_card_passes_luhn_and_typos_do_not() {
        for (n, _, _) in TEST_CARDS {
            assert_eq!(digits(n).as_deref(), Some(*n), "{n}");
        }
        assert_eq!(
            digits("4111 1111 1111 1111").as_deref(),
            Some("4111111111111111")
        );
        assert_eq!(digits("4111111111111112"), None);
        assert_eq!(digits("4111"), None);
        assert_eq!(mask("4111111111111111"), "411111 •••• 1111");
    }
}
