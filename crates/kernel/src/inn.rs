use super::{Rule, digits_ignoring, digits_to_string, weighted_sum};

/// ИНН: 10 digits for an organisation, 12 for a person or ИП, with check digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Inn(String);

super::text_identifier!(Inn);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InnKind {
    Organisation,
    Person,
}

const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

fn check_digit(digits: &[u8], weights: &[u32]) -> u8 {
    (weighted_sum(digits, weights) % 11 % 10) as u8
}

impl Inn {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let d = digits_ignoring(input, &[]).ok_or(Rule("inn-digits"))?;
        let valid = match d.len() {
            10 => check_digit(&d[..9], &W10) == d[9],
            12 => check_digit(&d[..10], &W11) == d[10] && check_digit(&d[..11], &W12) == d[11],
            _ => return Err(Rule("inn-length")),
        };
        if !valid {
            return Err(Rule("inn-checksum"));
        }
        Ok(Self(digits_to_string(&d)))
    }

    pub fn kind(&self) -> InnKind {
        if self.0.len() == 10 {
            InnKind::Organisation
        } else {
            InnKind::Person
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn public_vectors() {
        for ok in ["7707083893", "7830002293", "500100732259"] {
            assert!(Inn::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Inn::parse("7707083894"), Err(Rule("inn-checksum")));
        assert_eq!(Inn::parse("500100732258"), Err(Rule("inn-checksum")));
        assert_eq!(Inn::parse("77070838"), Err(Rule("inn-length")));
        assert_eq!(Inn::parse("770708389X"), Err(Rule("inn-digits")));
        assert_eq!(
            Inn::parse("7707083893").unwrap().kind(),
            InnKind::Organisation
        );
        assert_eq!(
            Inn::parse(" 500100732259 ").unwrap().kind(),
            InnKind::Person
        );
    }

    fn valid_inn12() -> impl Strategy<Value = String> {
        proptest::collection::vec(0u8..10, 10).prop_map(|mut d| {
            d.push(check_digit(&d, &W11));
            d.push(check_digit(&d, &W12));
            digits_to_string(&d)
        })
    }

    fn valid_inn10() -> impl Strategy<Value = String> {
        proptest::collection::vec(0u8..10, 9).prop_map(|mut d| {
            d.push(check_digit(&d, &W10));
            digits_to_string(&d)
        })
    }

    proptest! {
        #[test]
        fn valid_ones_parse(s in prop_oneof![valid_inn10(), valid_inn12()]) {
            let parsed = Inn::parse(&s).unwrap();
            prop_assert_eq!(parsed.as_str(), s.as_str());
        }

        #[test]
        fn a_changed_check_digit_never_parses(s in prop_oneof![valid_inn10(), valid_inn12()], bump in 1u8..10) {
            let mut d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
            let last = d.len() - 1;
            d[last] = (d[last] + bump) % 10;
            prop_assert_eq!(Inn::parse(&digits_to_string(&d)), Err(Rule("inn-checksum")));
        }
    }
}
