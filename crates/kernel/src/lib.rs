//! Validated identifiers shared by every context (the shared kernel).
//!
//! Each type is parsed once at the edge and trusted inside: its field is private,
//! so a value of the type is proof that the rule was checked. Parsers return a
//! [`Rule`]: a stable code that the edge turns into a message in the user's language
//! and pairs with the name of the field it came from.

mod address;
mod bank;
mod code;
mod email;
pub mod i18n;
mod inn;
mod money;
mod phone;
mod snils;
mod uin;
mod vehicle;

pub use address::{Address, Postcode, RegionCode};
pub use bank::{BankAccount, Bik, Kpp, Payee, PayeeInput};
pub use code::Code;
pub use email::Email;
pub use inn::{Inn, InnKind};
pub use money::{Kopecks, MAX_PAYMENT};
pub use phone::Phone;
pub use snils::Snils;
pub use uin::Uin;
pub use vehicle::{DriverLicence, VehicleCertificate};

use crate::i18n::Text;
use std::borrow::Cow;

/// The rule a value broke, as a stable code (`inn-checksum`, `phone-format`, …).
/// The code is the key of the message in `locales/*/main.ftl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rule(pub &'static str);

impl Rule {
    pub fn code(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// `as_str` and `Display` for an identifier that is its normalised text.
macro_rules! text_identifier {
    ($t:ty) => {
        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use text_identifier;

/// Digits of `input` after dropping the separators people type (spaces, hyphens,
/// brackets, dots); `None` if anything else is left that is not a digit.
pub fn digits_ignoring(input: &str, separators: &[char]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len());
    for c in input.trim().chars() {
        if separators.contains(&c) || c.is_whitespace() {
            continue;
        }
        out.push(c.to_digit(10)? as u8);
    }
    Some(out)
}

pub fn weighted_sum(digits: &[u8], weights: &[u32]) -> u32 {
    digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(*d) * w)
        .sum()
}

pub fn digits_to_string(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// One refused field: which field (as the API names it) and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name, or its path in a form defined as data (`children[1].snils`).
    pub field: Cow<'static, str>,
    pub rule: Rule,
    /// For a wrong one-time code: how many tries the code has left, so the
    /// person knows before it is burnt.
    pub attempts_left: Option<u32>,
    /// The label of a field that is data (a service's form), which no message
    /// file can know; fields of the product's own forms are named by their key.
    pub label: Option<Text>,
}

impl FieldError {
    pub fn new(field: impl Into<Cow<'static, str>>, rule: Rule) -> Self {
        Self {
            field: field.into(),
            rule,
            attempts_left: None,
            label: None,
        }
    }

    pub fn labelled(field: impl Into<Cow<'static, str>>, rule: Rule, label: Text) -> Self {
        Self {
            label: Some(label),
            ..Self::new(field, rule)
        }
    }
}

/// Collects every wrong field of a form, so that the user sees all of them at once.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, rule: Rule) {
        self.0.push(FieldError::new(field, rule));
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Parses a required field; on failure records the error and yields `None`.
    pub fn required<T>(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        input: &str,
        parse: impl FnOnce(&str) -> Result<T, Rule>,
    ) -> Option<T> {
        if input.trim().is_empty() {
            self.add(field, Rule("required"));
            return None;
        }
        self.check(field, parse(input))
    }

    /// Parses an optional field: blank means "not given".
    pub fn optional<T>(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        input: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, Rule>,
    ) -> Option<T> {
        match input {
            Some(s) if !s.trim().is_empty() => self.check(field, parse(s)),
            _ => None,
        }
    }

    pub fn check<T>(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        result: Result<T, Rule>,
    ) -> Option<T> {
        result.map_err(|rule| self.add(field, rule)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }

    /// `Ok(value)` when no field was wrong.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self.0)
        }
    }
}
