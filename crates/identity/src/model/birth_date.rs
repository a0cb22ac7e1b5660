use chrono::{Datelike, NaiveDate};
use sep_kernel::Rule;

/// A birth date typed as ДД.ММ.ГГГГ: a real calendar day, not in the future,
/// of a person old enough to hold an account and young enough to be alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthDate(NaiveDate);

/// Госуслуги accounts start at 14, the age of the first passport.
pub const MIN_AGE_YEARS: i32 = 14;
pub const MAX_AGE_YEARS: i32 = 125;

impl BirthDate {
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, Rule> {
        let s = input.trim();
        let shaped = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 2 || i == 5 {
                    b == b'.'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shaped {
            return Err(Rule("date-format"));
        }
        let date = NaiveDate::parse_from_str(s, "%d.%m.%Y").map_err(|_| Rule("date-invalid"))?;
        Self::from_date(date, today)
    }

    pub fn from_date(date: NaiveDate, today: NaiveDate) -> Result<Self, Rule> {
        if date > today {
            return Err(Rule("date-future"));
        }
        let age = age_on(date, today);
        if age < MIN_AGE_YEARS {
            return Err(Rule("age-too-young"));
        }
        if age > MAX_AGE_YEARS {
            return Err(Rule("age-too-old"));
        }
        Ok(Self(date))
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }
}

fn age_on(born: NaiveDate, today: NaiveDate) -> i32 {
    let had_birthday = (today.month(), today.day()) >= (born.month(), born.day());
    today.year() - born.year() - i32::from(!had_birthday)
}

impl std::fmt::Display for BirthDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%d.%m.%Y"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn rules() {
        assert_eq!(
            BirthDate::parse("05.03.1985", today()).unwrap().to_string(),
            "05.03.1985"
        );
        assert_eq!(
            BirthDate::parse("1985-03-05", today()),
            Err(Rule("date-format"))
        );
        assert_eq!(
            BirthDate::parse("5.3.1985", today()),
            Err(Rule("date-format"))
        );
        assert_eq!(
            BirthDate::parse("30.02.1985", today()),
            Err(Rule("date-invalid"))
        );
        assert_eq!(
            BirthDate::parse("01.01.2030", today()),
            Err(Rule("date-future"))
        );
        assert_eq!(
            BirthDate::parse("25.11.2012", today()),
            Err(Rule("age-too-young"))
        );
        assert!(BirthDate::parse("24.11.2012", today()).is_ok());
        assert_eq!(
            BirthDate::parse("01.01.1890", today()),
            Err(Rule("age-too-old"))
        );
    }
}
