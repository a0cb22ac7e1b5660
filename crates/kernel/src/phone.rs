use super::{Rule, digits_ignoring, digits_to_string};

/// A Russian phone number, kept as E.164 (`+7` and ten digits).
/// People type `8 (912) 345-67-89`, `+7 912 345 67 89` or `79123456789`: all are one number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let trimmed = input.trim();
        let rest = trimmed.strip_prefix('+').unwrap_or(trimmed);
        let d = digits_ignoring(rest, &['-', '(', ')']).ok_or(Rule("phone-format"))?;
        let national = match (d.len(), d.first()) {
            (11, Some(7)) => &d[1..],
            (11, Some(8)) if !trimmed.starts_with('+') => &d[1..],
            (10, _) if !trimmed.starts_with('+') => &d[..],
            _ => return Err(Rule("phone-format")),
        };
        Ok(Self(format!("+7{}", digits_to_string(national))))
    }

    /// Russian mobile numbers (the only ones an SMS reaches) start with 9 after the country code.
    pub fn is_mobile(&self) -> bool {
        self.0.as_bytes()[2] == b'9'
    }

    pub fn as_e164(&self) -> &str {
        &self.0
    }

    /// `+7 912 ***-**-89`: enough for the owner to recognise, too little to harvest.
    pub fn masked(&self) -> String {
        let s = &self.0;
        format!("+7 {} ***-**-{}", &s[2..5], &s[10..12])
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.0;
        write!(
            f,
            "+7 {} {}-{}-{}",
            &s[2..5],
            &s[5..8],
            &s[8..10],
            &s[10..12]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spellings_people_use() {
        for s in [
            "+79123456789",
            "8 (912) 345-67-89",
            "+7 912 345 67 89",
            "79123456789",
            "9123456789",
        ] {
            assert_eq!(Phone::parse(s).unwrap().as_e164(), "+79123456789", "{s}");
        }
        assert_eq!(
            Phone::parse("+7 912 345 67 89").unwrap().to_string(),
            "+7 912 345-67-89"
        );
        assert_eq!(
            Phone::parse("+7 912 345 67 89").unwrap().masked(),
            "+7 912 ***-**-89"
        );
        for s in [
            "+8 912 345 67 89",
            "912345678",
            "+7912345678901",
            "+7 912 ABC 67 89",
            "",
        ] {
            assert_eq!(Phone::parse(s), Err(Rule("phone-format")), "{s}");
        }
        assert!(Phone::parse("+79123456789").unwrap().is_mobile());
        assert!(!Phone::parse("+74951234567").unwrap().is_mobile());
    }

    proptest! {
        #[test]
        fn every_ten_digits_round_trip(n in 0u64..10_000_000_000) {
            let p = Phone::parse(&format!("8{n:010}")).unwrap();
            prop_assert_eq!(Phone::parse(&p.to_string()).unwrap(), p);
        }
    }
}
