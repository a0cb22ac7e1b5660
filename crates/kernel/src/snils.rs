use super::{Rule, digits_ignoring, digits_to_string, weighted_sum};

/// СНИЛС: 11 digits, the last two a checksum; shown as `XXX-XXX-XXX YY`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Snils(String);

const WEIGHTS: [u32; 9] = [9, 8, 7, 6, 5, 4, 3, 2, 1];
/// The checksum is defined only for numbers above 001-001-998.
const FIRST_CHECKED: u32 = 1_001_998;

fn checksum(first9: &[u8]) -> u8 {
    (weighted_sum(first9, &WEIGHTS) % 101 % 100) as u8
}

impl Snils {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let d = digits_ignoring(input, &['-']).ok_or(Rule("snils-format"))?;
        if d.len() != 11 {
            return Err(Rule("snils-length"));
        }
        let number: u32 = digits_to_string(&d[..9])
            .parse()
            .map_err(|_| Rule("snils-format"))?;
        let given = d[9] * 10 + d[10];
        if number > FIRST_CHECKED && checksum(&d[..9]) != given {
            return Err(Rule("snils-checksum"));
        }
        Ok(Self(digits_to_string(&d)))
    }

    /// The eleven digits, as stored and searched.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Snils {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.0;
        write!(f, "{}-{}-{} {}", &s[0..3], &s[3..6], &s[6..9], &s[9..11])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn public_vectors() {
        assert_eq!(
            Snils::parse("112-233-445 95").unwrap().to_string(),
            "112-233-445 95"
        );
        assert_eq!(
            Snils::parse("64666308323").unwrap().to_string(),
            "646-663-083 23"
        );
        assert_eq!(Snils::parse("112-233-445 98"), Err(Rule("snils-checksum")));
        assert_eq!(Snils::parse("112-233-445"), Err(Rule("snils-length")));
        assert_eq!(Snils::parse("112-233-44A 95"), Err(Rule("snils-format")));
    }

    fn valid() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(0u8..10, 9)
            .prop_filter("checksum defined", |d| {
                digits_to_string(d).parse::<u32>().unwrap() > FIRST_CHECKED
            })
            .prop_map(|mut d| {
                let c = checksum(&d);
                d.extend([c / 10, c % 10]);
                d
            })
    }

    proptest! {
        #[test]
        fn valid_ones_parse_in_both_spellings(d in valid()) {
            let plain = digits_to_string(&d);
            let parsed = Snils::parse(&plain).unwrap();
            prop_assert_eq!(Snils::parse(&parsed.to_string()).unwrap(), parsed);
        }

        #[test]
        fn a_changed_checksum_never_parses(d in valid(), bump in 1u8..100) {
            let mut d = d;
            let c = (d[9] * 10 + d[10] + bump) % 100;
            d[9] = c / 10;
            d[10] = c % 10;
            prop_assert_eq!(Snils::parse(&digits_to_string(&d)), Err(Rule("snils-checksum")));
        }
    }
}
