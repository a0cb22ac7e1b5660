//! Forms as data (SPEC M2): a service's form is a versioned JSON definition of
//! fields, not code. An administrator writes one; [`FormDefinition::check`]
//! proves it is usable (names, ranges, patterns, conditions) and yields a
//! [`Form`], the one validator that the API, the pages and drafts all use.

mod answers;
mod check;
mod prefill;
mod validate;

pub use answers::answers_from_pairs;
pub use prefill::{PrefillSource, address_value};
pub use validate::{Mode, parse_date};

use chrono::NaiveDate;
use sep_kernel::i18n::Text;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// Answers as submitted and as stored: field name → value; a group is an
/// array of such objects, an address an object of its parts.
pub type Answers = serde_json::Map<String, Value>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormDefinition {
    pub fields: Vec<FieldDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDef {
    pub name: String,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Text>,
    #[serde(default)]
    pub required: bool,
    /// Shown (and checked, and kept) only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    /// Filled from the applicant's profile when the form is opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<PrefillSource>,
    #[serde(flatten)]
    pub kind: FieldKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    Text {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_length: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
        /// A regular expression the whole value must match.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pattern: Option<String>,
        #[serde(default)]
        multiline: bool,
    },
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        #[serde(default)]
        integer: bool,
    },
    Date {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<DateBound>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<DateBound>,
    },
    Select {
        options: Vec<Choice>,
    },
    Checkbox,
    /// An attachment, answered with the id of an uploaded file.
    File,
    Inn {
        /// Only a person's (12 digits) or only an organisation's (10 digits).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        holder: Option<InnHolder>,
    },
    Snils,
    Phone,
    Email,
    /// Postcode, region code and the rest of the address.
    Address,
    /// A repeated set of fields (children, vehicles, previous addresses).
    Group {
        fields: Vec<FieldDef>,
        #[serde(default)]
        min_items: u32,
        #[serde(default = "default_max_items")]
        max_items: u32,
    },
}

fn default_max_items() -> u32 {
    20
}

impl FieldKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Text { .. } => "text",
            Self::Number { .. } => "number",
            Self::Date { .. } => "date",
            Self::Select { .. } => "select",
            Self::Checkbox => "checkbox",
            Self::File => "file",
            Self::Inn { .. } => "inn",
            Self::Snils => "snils",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Address => "address",
            Self::Group { .. } => "group",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InnHolder {
    Person,
    Organisation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: Text,
}

/// A date limit: a fixed day, or "today" as of the moment of checking (so a
/// birth date cannot lie in the future whatever year the form is used in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    Today,
    Day(NaiveDate),
}

impl DateBound {
    pub fn resolve(self, today: NaiveDate) -> NaiveDate {
        match self {
            Self::Today => today,
            Self::Day(d) => d,
        }
    }
}

impl Serialize for DateBound {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Today => s.serialize_str("today"),
            Self::Day(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for DateBound {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "today" {
            return Ok(Self::Today);
        }
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Self::Day)
            .map_err(|_| serde::de::Error::custom("a date bound is \"today\" or YYYY-MM-DD"))
    }
}

/// `show_if`: the named field (of the same group, else of the form) equals a
/// value, is one of several, or — with neither given — is filled in / checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<Value>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<Value>>,
}

/// A definition that passed [`FormDefinition::check`], with its patterns compiled.
#[derive(Debug, Clone)]
pub struct Form {
    def: FormDefinition,
    patterns: HashMap<String, regex::Regex>,
}

impl Form {
    pub fn definition(&self) -> &FormDefinition {
        &self.def
    }

    pub fn fields(&self) -> &[FieldDef] {
        &self.def.fields
    }
}

#[cfg(test)]
mod tests;
