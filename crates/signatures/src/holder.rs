//! Whose certificate it is. A qualified certificate names its holder (the
//! name, and for a citizen the СНИЛС and often the ИНН); a person may keep
//! only certificates that name them, so that nobody signs in another's name
//! with a certificate they happen to hold.

use sep_identity::model::ProfileInput;
use sep_pki::certificate::Parsed;

const CN: &str = "2.5.4.3";
const SURNAME: &str = "2.5.4.4";
const GIVEN_NAME: &str = "2.5.4.42";
const SNILS: &str = "1.2.643.100.3";
const INN_PERSON: &str = "1.2.643.3.131.1.1";

fn words(s: &str) -> String {
    s.to_lowercase()
        .replace('ё', "е")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `cert` names the person of `profile`: every identifier it carries
/// is theirs, and its name is theirs (the surname and given name when
/// present, else the common name as the full name).
pub fn names_holder(cert: &Parsed, profile: &ProfileInput) -> bool {
    let full = words(&format!(
        "{} {} {}",
        profile.last_name, profile.first_name, profile.patronymic
    ));
    if full.is_empty() {
        return false;
    }
    let mut named = false;
    for (oid, value) in &cert.attributes {
        let ok = match oid.as_str() {
            SNILS => digits(value) == digits(&profile.snils),
            INN_PERSON => digits(value) == digits(&profile.inn),
            SURNAME => {
                named = true;
                words(value) == words(&profile.last_name)
            }
            // «Имя Отчество» in one attribute, as the ФНС profile has it.
            GIVEN_NAME => {
                words(value) == words(&format!("{} {}", profile.first_name, profile.patronymic))
                    || words(value) == words(&profile.first_name)
            }
            _ => true,
        };
        if !ok {
            return false;
        }
    }
    named
        || cert
            .attributes
            .iter()
            .any(|(oid, v)| oid == CN && words(v) == full)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sep_pki::pki;

    fn profile() -> ProfileInput {
        ProfileInput {
            last_name: "Петрова".into(),
            first_name: "Анна".into(),
            patronymic: "Сергеевна".into(),
            snils: "112-233-445 95".into(),
            ..ProfileInput::default()
        }
    }

    #[test]
    fn a_certificate_is_kept_only_by_the_person_it_names() {
        let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let ca = pki::demo_ca("Тестовый УЦ", now, 1).unwrap();
        let cert = |name: &str, snils: Option<&str>| {
            let leaf = pki::issue_person(
                &ca,
                name,
                snils,
                now - chrono::Duration::days(1),
                now + chrono::Duration::days(30),
            )
            .unwrap();
            sep_pki::certificate::parse(&leaf.cert_der).unwrap()
        };
        assert!(names_holder(
            &cert("Петрова Анна Сергеевна", Some("11223344595")),
            &profile()
        ));
        assert!(names_holder(
            &cert("ПЕТРОВА  АННА СЕРГЕЕВНА", None),
            &profile()
        ));
        assert!(!names_holder(
            &cert("Иванов Иван Иванович", None),
            &profile()
        ));
        assert!(!names_holder(
            &cert("Петрова Анна Сергеевна", Some("00000000000")),
            &profile()
        ));
        assert!(!names_holder(
            &cert("Петрова Анна Сергеевна", None),
            &ProfileInput::default()
        ));
    }
}
