use sep_kernel::{Rule, digits_ignoring, digits_to_string};

/// Паспорт РФ: series of 4 digits (written "45 08") and number of 6 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passport {
    series: String,
    number: String,
}

impl Passport {
    pub fn parse_series(input: &str) -> Result<String, Rule> {
        match digits_ignoring(input, &[]) {
            Some(d) if d.len() == 4 => Ok(digits_to_string(&d)),
            _ => Err(Rule("passport-series")),
        }
    }

    pub fn parse_number(input: &str) -> Result<String, Rule> {
        match digits_ignoring(input, &[]) {
            Some(d) if d.len() == 6 => Ok(digits_to_string(&d)),
            _ => Err(Rule("passport-number")),
        }
    }

    pub fn new(series: String, number: String) -> Self {
        Self { series, number }
    }

    /// "45 08"
    pub fn series(&self) -> String {
        format!("{} {}", &self.series[..2], &self.series[2..])
    }

    pub fn number(&self) -> &str {
        &self.number
    }

    /// Series and number as one string of ten digits, for storage.
    pub fn compact(&self) -> String {
        format!("{}{}", self.series, self.number)
    }

    pub fn from_compact(s: &str) -> Option<Self> {
        (s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Self::new(s[..4].into(), s[4..].into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        assert_eq!(Passport::parse_series("45 08").unwrap(), "4508");
        assert_eq!(Passport::parse_series("450"), Err(Rule("passport-series")));
        assert_eq!(Passport::parse_number("123456").unwrap(), "123456");
        assert_eq!(
            Passport::parse_number("12345a"),
            Err(Rule("passport-number"))
        );
        let p = Passport::from_compact("4508123456").unwrap();
        assert_eq!((p.series(), p.number()), ("45 08".to_string(), "123456"));
    }
}
