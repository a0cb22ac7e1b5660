//! The Russian production calendar: which days are working days, for deadlines
//! counted in working days. Each year is a data file (days off that fall on
//! weekdays, working Saturdays) taken from the government's decree, so a new
//! decree is a data change. Years without a file follow Labour Code art. 112
//! alone, and say so (`provisional`).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

const YEAR_FILES: &[&str] = &[
    include_str!("2025.toml"),
    include_str!("2026.toml"),
    include_str!("2027.toml"),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    source: String,
    provisional: bool,
    days_off: Vec<NaiveDate>,
    working_days: Vec<NaiveDate>,
}

#[derive(Debug)]
struct Year {
    source: String,
    provisional: bool,
    days_off: HashSet<NaiveDate>,
    working_days: HashSet<NaiveDate>,
}

#[derive(Debug)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
}

/// The calendar shipped with this build.
pub static RUSSIA: LazyLock<Calendar> = LazyLock::new(|| {
    Calendar::from_files(YEAR_FILES).expect("the shipped calendar files are valid")
});

/// Non-working holidays of Labour Code art. 112 (month, day).
const ART_112: &[(u32, u32)] = &[
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
];

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    fn from_files(files: &[&str]) -> anyhow::Result<Self> {
        let mut years = BTreeMap::new();
        for text in files {
            let f: YearFile = toml::from_str(text)?;
            let foreign = f
                .days_off
                .iter()
                .chain(&f.working_days)
                .find(|d| d.year() != f.year);
            if let Some(d) = foreign {
                anyhow::bail!("calendar {}: {d} is another year", f.year);
            }
            years.insert(
                f.year,
                Year {
                    source: f.source,
                    provisional: f.provisional,
                    days_off: f.days_off.into_iter().collect(),
                    working_days: f.working_days.into_iter().collect(),
                },
            );
        }
        Ok(Self { years })
    }

    /// Art. 112 without a decree: the holidays, and each holiday that falls on
    /// a weekend gives the next free weekday off (the January ones do not move).
    fn statutory_days_off(year: i32) -> HashSet<NaiveDate> {
        let holidays: Vec<NaiveDate> = ART_112
            .iter()
            .filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d))
            .collect();
        let mut off: HashSet<NaiveDate> = holidays.iter().copied().collect();
        for h in holidays
            .iter()
            .filter(|h| is_weekend(**h) && h.month() != 1)
        {
            let mut d = *h + Duration::days(1);
            while is_weekend(d) || off.contains(&d) {
                d += Duration::days(1);
            }
            off.insert(d);
        }
        off
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.years.get(&d.year()) {
            Some(y) => y.working_days.contains(&d) || !(is_weekend(d) || y.days_off.contains(&d)),
            None => !(is_weekend(d) || Self::statutory_days_off(d.year()).contains(&d)),
        }
    }

    /// Whether the year's days come from a decree, and which.
    pub fn source(&self, year: i32) -> (String, bool) {
        match self.years.get(&year) {
            Some(y) => (y.source.clone(), y.provisional),
            None => ("ТК РФ ст. 112".into(), true),
        }
    }

    /// The `n`-th working day after `start` (the day of submission does not
    /// count, as in administrative regulations). `n = 0` gives `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in `(from, to]`: how many a deadline has used up; 0 if `to <= from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn working_days_in(year: i32) -> u32 {
        RUSSIA.working_days_between(
            NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
        )
    }

    #[test]
    fn years_match_the_decrees() {
        assert_eq!(working_days_in(2025), 247);
        assert_eq!(working_days_in(2026), 247, "decree № 1466 says 247");
        assert!(RUSSIA.source(2027).1, "2027 is provisional");
        assert!(!RUSSIA.source(2026).1);
    }

    #[test]
    fn years_without_a_file_follow_article_112() {
        // 2028: 1 May is a Monday, 9 May a Tuesday, 12 June a Monday,
        // 4 November a Saturday → Monday 6 November is off.
        assert!(!RUSSIA.is_working_day(day("2028-11-06")));
        assert!(RUSSIA.is_working_day(day("2028-11-07")));
        assert!(!RUSSIA.is_working_day(day("2028-06-12")));
        assert!(RUSSIA.source(2028).1);
    }

    #[test]
    fn a_working_saturday_and_moved_days_off() {
        assert!(
            RUSSIA.is_working_day(day("2025-11-01")),
            "Saturday by decree"
        );
        assert!(!RUSSIA.is_working_day(day("2025-11-03")), "moved day off");
        assert!(!RUSSIA.is_working_day(day("2026-01-09")));
        assert!(RUSSIA.is_working_day(day("2026-01-12")));
        assert!(!RUSSIA.is_working_day(day("2026-11-04")));
        assert!(RUSSIA.is_working_day(day("2026-11-05")));
    }

    #[test]
    fn deadlines_skip_weekends_and_holidays() {
        // Wednesday 30.12.2026: 31.12 is off, 1–8.01.2027 are holidays and
        // 9–10.01 a weekend.
        assert_eq!(
            RUSSIA.add_working_days(day("2026-12-30"), 1),
            day("2027-01-11")
        );
        // Friday 20.02.2026 + 1 → Tuesday 24.02 (21–23 off).
        assert_eq!(
            RUSSIA.add_working_days(day("2026-02-20"), 1),
            day("2026-02-24")
        );
        assert_eq!(
            RUSSIA.add_working_days(day("2026-11-24"), 5),
            day("2026-12-01")
        );
        assert_eq!(
            RUSSIA.add_working_days(day("2026-11-24"), 0),
            day("2026-11-24")
        );
    }

    #[test]
    fn the_statutory_rule_reproduces_the_provisional_file() {
        let off = Calendar::statutory_days_off(2027);
        let mut d = day("2027-01-01");
        while d.year() == 2027 {
            let by_rule = !(is_weekend(d) || off.contains(&d));
            assert_eq!(by_rule, RUSSIA.is_working_day(d), "{d}");
            d += Duration::days(1);
        }
    }
}
