use super::{BirthDate, NamePart, Passport};
use chrono::NaiveDate;
use sep_kernel::{Address, Postcode, RegionCode};
use sep_kernel::{FieldError, FieldErrors, Inn, Snils};
use serde::{Deserialize, Serialize};

/// The profile form as typed: every field a string, blank meaning "not given".
/// Field names here are the names errors carry back.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    pub last_name: String,
    pub first_name: String,
    pub patronymic: String,
    pub birth_date: String,
    pub inn: String,
    pub snils: String,
    pub passport_series: String,
    pub passport_number: String,
    pub postcode: String,
    pub region_code: String,
    pub address: String,
}

/// A validated profile. Names are required once a profile is saved; the
/// documents are optional (a simplified account may not have them yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub last_name: NamePart,
    pub first_name: NamePart,
    pub patronymic: Option<NamePart>,
    pub birth_date: Option<BirthDate>,
    pub inn: Option<Inn>,
    pub snils: Option<Snils>,
    pub passport: Option<Passport>,
    pub address: Option<Address>,
}

impl Profile {
    pub fn parse(input: &ProfileInput, today: NaiveDate) -> Result<Self, Vec<FieldError>> {
        let mut e = FieldErrors::new();
        let last_name = e.required("last_name", &input.last_name, NamePart::parse);
        let first_name = e.required("first_name", &input.first_name, NamePart::parse);
        let patronymic = e.optional("patronymic", Some(&input.patronymic), NamePart::parse);
        let birth_date = e.optional("birth_date", Some(&input.birth_date), |s| {
            BirthDate::parse(s, today)
        });
        let inn = e.optional("inn", Some(&input.inn), Inn::parse);
        let snils = e.optional("snils", Some(&input.snils), Snils::parse);
        let passport = both_or_neither(
            &mut e,
            ("passport_series", &input.passport_series),
            ("passport_number", &input.passport_number),
        )
        .and_then(|(s, n)| {
            Some(Passport::new(
                e.check("passport_series", Passport::parse_series(s))?,
                e.check("passport_number", Passport::parse_number(n))?,
            ))
        });
        let address = all_or_none(
            &mut e,
            &[
                ("postcode", &input.postcode),
                ("region_code", &input.region_code),
                ("address", &input.address),
            ],
        )
        .then(|| {
            let postcode = e.check("postcode", Postcode::parse(&input.postcode));
            let region = e.check("region_code", RegionCode::parse(&input.region_code));
            let line = e.check("address", Address::parse_line(&input.address));
            Some(Address {
                postcode: postcode?,
                region: region?,
                line: line?,
            })
        })
        .flatten();
        e.finish(|| Profile {
            last_name: last_name.expect("checked"),
            first_name: first_name.expect("checked"),
            patronymic,
            birth_date,
            inn,
            snils,
            passport,
            address,
        })
    }

    pub fn full_name(&self) -> String {
        let mut s = format!("{} {}", self.last_name, self.first_name);
        if let Some(p) = &self.patronymic {
            s.push(' ');
            s.push_str(p.as_str());
        }
        s
    }
}

/// Two fields that only make sense together: one without the other names the missing one.
fn both_or_neither<'a>(
    e: &mut FieldErrors,
    a: (&'static str, &'a str),
    b: (&'static str, &'a str),
) -> Option<(&'a str, &'a str)> {
    match (a.1.trim().is_empty(), b.1.trim().is_empty()) {
        (true, true) => None,
        (false, false) => Some((a.1, b.1)),
        (true, false) => {
            e.add(a.0, sep_kernel::Rule("required-with-pair"));
            None
        }
        (false, true) => {
            e.add(b.0, sep_kernel::Rule("required-with-pair"));
            None
        }
    }
}

/// True when every field is given; when only some are, names each missing one.
fn all_or_none(e: &mut FieldErrors, fields: &[(&'static str, &str)]) -> bool {
    let given = fields.iter().filter(|(_, v)| !v.trim().is_empty()).count();
    if given != 0 && given != fields.len() {
        for (name, v) in fields {
            if v.trim().is_empty() {
                e.add(*name, sep_kernel::Rule("required-with-pair"));
            }
        }
    }
    given == fields.len()
}

/// A person as documents issued to them describe them: what agencies'
/// registries are asked with and what the documents print.
#[derive(Debug, Clone)]
pub struct Holder {
    pub full_name: String,
    pub birth_date: Option<chrono::NaiveDate>,
    pub inn: Option<String>,
    pub snils: Option<String>,
    /// «45 06 123456».
    pub passport: Option<String>,
    /// «101000, г. Москва, ул. Тверская, д. 1».
    pub address: Option<String>,
    pub region_code: Option<String>,
    /// Whether the person acts for organisations (the representative role).
    pub representative: bool,
    pub level: super::AssuranceLevel,
}

impl Holder {
    /// Someone whose profile is empty (a decision still goes to them).
    pub fn unnamed(level: super::AssuranceLevel) -> Self {
        Self {
            full_name: "—".into(),
            birth_date: None,
            inn: None,
            snils: None,
            passport: None,
            address: None,
            region_code: None,
            representative: false,
            level,
        }
    }
}

/// The identity a level rests on, by the message key that names each part:
/// ФИО, birth date, ИНН, СНИЛС, passport.
type Part = fn(&ProfileInput) -> &String;
const IDENTITY: &[(&str, &[Part])] = &[
    (
        "identity-field-full-name",
        &[|p| &p.last_name, |p| &p.first_name, |p| &p.patronymic],
    ),
    ("identity-field-birth-date", &[|p| &p.birth_date]),
    ("identity-field-inn", &[|p| &p.inn]),
    ("identity-field-snils", &[|p| &p.snils]),
    (
        "identity-field-passport",
        &[|p| &p.passport_series, |p| &p.passport_number],
    ),
];

/// Which parts of the identity an edit changes. A value given for the first
/// time completes the identity and is no change; replacing or erasing a
/// given one is.
pub fn identity_changes(before: &ProfileInput, after: &ProfileInput) -> Vec<&'static str> {
    IDENTITY
        .iter()
        .filter(|(_, fields)| {
            let given = fields.iter().any(|f| !f(before).trim().is_empty());
            given && fields.iter().any(|f| f(before).trim() != f(after).trim())
        })
        .map(|(key, _)| *key)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sep_kernel::Rule;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn full() -> ProfileInput {
        ProfileInput {
            last_name: "иванов".into(),
            first_name: "Иван".into(),
            patronymic: "Иванович".into(),
            birth_date: "05.03.1985".into(),
            inn: "500100732259".into(),
            snils: "112-233-445 95".into(),
            passport_series: "45 08".into(),
            passport_number: "123456".into(),
            postcode: "101000".into(),
            region_code: "77".into(),
            address: "г. Москва, ул. Тверская, д. 1".into(),
        }
    }

    #[test]
    fn a_full_profile_parses() {
        let p = Profile::parse(&full(), today()).unwrap();
        assert_eq!(p.full_name(), "Иванов Иван Иванович");
        assert_eq!(p.snils.unwrap().to_string(), "112-233-445 95");
    }

    #[test]
    fn every_wrong_field_is_named() {
        let mut input = full();
        input.snils = "112-233-445 98".into();
        input.inn = "7707083894".into();
        input.birth_date = "31.02.1985".into();
        input.first_name = "".into();
        input.postcode = "".into();
        let errors = Profile::parse(&input, today()).unwrap_err();
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (&*e.field, e.rule.code())).collect();
        assert_eq!(
            got,
            vec![
                ("first_name", "required"),
                ("birth_date", "date-invalid"),
                ("inn", "inn-checksum"),
                ("snils", "snils-checksum"),
                ("postcode", "required-with-pair"),
            ]
        );
        assert!(errors.iter().all(|e| e.rule != Rule("")));
    }

    #[test]
    fn replacing_a_given_identity_is_a_change_completing_it_is_not() {
        let before = full();
        assert!(identity_changes(&before, &before).is_empty());
        let mut after = before.clone();
        after.last_name = "Подменов".into();
        after.passport_number = "654321".into();
        after.address = "г. Казань".into();
        assert_eq!(
            identity_changes(&before, &after),
            vec!["identity-field-full-name", "identity-field-passport"]
        );
        let mut erased = before.clone();
        erased.snils = String::new();
        assert_eq!(
            identity_changes(&before, &erased),
            vec!["identity-field-snils"]
        );
        assert!(identity_changes(&ProfileInput::default(), &before).is_empty());
    }
}
