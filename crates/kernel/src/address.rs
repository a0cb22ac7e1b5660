use crate::Rule;

/// Почтовый индекс: six digits, the first not 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let s = input.trim();
        if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0') {
            Ok(Self(s.to_string()))
        } else {
            Err(Rule("postcode-format"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Код субъекта РФ: two digits, 01–99 (77 Москва, 78 Санкт-Петербург, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(u8);

impl RegionCode {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let s = input.trim();
        match s.parse::<u8>() {
            Ok(n @ 1..=99) if s.len() == 2 => Ok(Self(n)),
            _ => Err(Rule("region-code")),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

/// Адрес регистрации: postcode, region and the rest of the address as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub postcode: Postcode,
    pub region: RegionCode,
    pub line: String,
}

pub const MAX_ADDRESS_LINE: usize = 500;

impl Address {
    pub fn parse_line(input: &str) -> Result<String, Rule> {
        let line = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.chars().count() < 5 {
            return Err(Rule("address-short"));
        }
        if line.chars().count() > MAX_ADDRESS_LINE {
            return Err(Rule("address-long"));
        }
        if line.chars().any(char::is_control) {
            return Err(Rule("address-chars"));
        }
        Ok(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        assert_eq!(Postcode::parse(" 101000 ").unwrap().as_str(), "101000");
        assert_eq!(Postcode::parse("01000"), Err(Rule("postcode-format")));
        assert_eq!(Postcode::parse("012345"), Err(Rule("postcode-format")));
        assert_eq!(RegionCode::parse("77").unwrap().to_string(), "77");
        assert_eq!(RegionCode::parse("7"), Err(Rule("region-code")));
        assert_eq!(RegionCode::parse("00"), Err(Rule("region-code")));
        assert_eq!(
            Address::parse_line("  г. Москва,   ул. Тверская, д. 1 ").unwrap(),
            "г. Москва, ул. Тверская, д. 1"
        );
        assert_eq!(Address::parse_line("М"), Err(Rule("address-short")));
    }
}
