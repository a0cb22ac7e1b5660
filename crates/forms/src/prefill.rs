//! Prefill: which part of the applicant's profile a field starts with.

use super::{Answers, FieldKind, Form};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrefillSource {
    LastName,
    FirstName,
    Patronymic,
    /// Фамилия Имя Отчество in one line.
    FullName,
    BirthDate,
    Inn,
    Snils,
    Passport,
    Phone,
    Email,
    /// The registered address (postcode, region code, line).
    Address,
}

impl Form {
    /// The answers a new form starts with: each prefilled field's value from
    /// `profile`, where the profile has it. The person can change them.
    pub fn prefill(&self, profile: impl Fn(PrefillSource) -> Option<Value>) -> Answers {
        let mut out = Answers::new();
        for f in &self.def.fields {
            let Some(source) = f.prefill else { continue };
            let Some(value) = profile(source) else {
                continue;
            };
            let fits = match (&f.kind, &value) {
                (FieldKind::Address, Value::Object(_)) => true,
                (FieldKind::Address, _) | (FieldKind::Group { .. }, _) => false,
                (_, Value::String(s)) => !s.trim().is_empty(),
                _ => false,
            };
            if fits {
                out.insert(f.name.clone(), value);
            }
        }
        out
    }
}

/// An address in the shape an address field takes.
pub fn address_value(postcode: &str, region_code: &str, line: &str) -> Value {
    json!({ "postcode": postcode, "region_code": region_code, "line": line })
}
