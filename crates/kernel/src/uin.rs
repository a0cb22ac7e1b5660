use super::{Rule, digits_ignoring, digits_to_string};

/// УИН — уникальный идентификатор начисления (ГИС ГМП): 20 or 25 digits, the
/// last a control digit over the others.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uin(String);

super::text_identifier!(Uin);

/// The ГИС ГМП control digit: weights 1..10 repeating, sum mod 11; a result
/// of 10 is recomputed with weights starting at 3; if that is 10 too, 0.
fn control_digit(digits: &[u8]) -> u8 {
    let pass = |shift: usize| -> u32 {
        digits
            .iter()
            .enumerate()
            .map(|(i, d)| u32::from(*d) * ((i + shift) % 10 + 1) as u32)
            .sum::<u32>()
            % 11
    };
    match pass(0) {
        10 => match pass(2) {
            10 => 0,
            r => r as u8,
        },
        r => r as u8,
    }
}

impl Uin {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let d = digits_ignoring(input, &['-']).ok_or(Rule("uin-digits"))?;
        if d.len() != 20 && d.len() != 25 {
            return Err(Rule("uin-length"));
        }
        let (body, last) = d.split_at(d.len() - 1);
        if control_digit(body) != last[0] {
            return Err(Rule("uin-checksum"));
        }
        Ok(Self(digits_to_string(&d)))
    }

    /// A new УИН from its first 19 or 24 digits (how an agency forms one).
    pub fn with_control_digit(body: &str) -> Result<Self, Rule> {
        let mut d = digits_ignoring(body, &[]).ok_or(Rule("uin-digits"))?;
        if d.len() != 19 && d.len() != 24 {
            return Err(Rule("uin-length"));
        }
        d.push(control_digit(&d));
        Ok(Self(digits_to_string(&d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn public_vectors() {
        for valid in [
            "52601815908301661312",
            "8194821993518190937865797",
            "00000000000000000066",
        ] {
            assert_eq!(Uin::parse(valid).unwrap().as_str(), valid);
        }
        assert_eq!(
            Uin::parse("52601815908301661313"),
            Err(Rule("uin-checksum"))
        );
        assert_eq!(Uin::parse("5260181590830166131"), Err(Rule("uin-length")));
        assert_eq!(Uin::parse("5260181590830166131X"), Err(Rule("uin-digits")));
        assert_eq!(
            Uin::with_control_digit("5260181590830166131")
                .unwrap()
                .as_str(),
            "52601815908301661312"
        );
    }

    #[test]
    fn the_second_pass_is_used() {
        // DOMAIN.md's `00000000000000000066`: the first pass gives 10, so the
        // control digit comes from the second.
        let body: Vec<u8> = "0000000000000000006".bytes().map(|b| b - b'0').collect();
        let first: u32 = body
            .iter()
            .enumerate()
            .map(|(i, d)| u32::from(*d) * ((i % 10) + 1) as u32)
            .sum::<u32>()
            % 11;
        assert_eq!(first, 10, "this vector needs the second pass");
        assert_eq!(control_digit(&body), 6);
    }

    fn valid_uin() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::collection::vec(0u8..10, 19),
            proptest::collection::vec(0u8..10, 24)
        ]
        .prop_map(|mut d| {
            d.push(control_digit(&d));
            digits_to_string(&d)
        })
    }

    proptest! {
        #[test]
        fn valid_ones_parse(s in valid_uin()) {
            let parsed = Uin::parse(&s).unwrap();
            prop_assert_eq!(parsed.as_str(), s.as_str());
        }

        #[test]
        fn a_changed_control_digit_never_parses(s in valid_uin(), bump in 1u8..10) {
            let mut d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
            let last = d.len() - 1;
            d[last] = (d[last] + bump) % 10;
            prop_assert_eq!(Uin::parse(&digits_to_string(&d)), Err(Rule("uin-checksum")));
        }
    }
}
