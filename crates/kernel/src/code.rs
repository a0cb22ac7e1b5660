//! The codes of the catalogue's things, as they appear in addresses.

use crate::Rule;
use serde::Serialize;

/// A catalogue code (service, category, agency, department): lower-case Latin
/// letters, digits and hyphens, as it appears in addresses (`/services/foreign-passport`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Code(String);

impl Code {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let s = input.trim();
        let ok = (2..=64).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        ok.then(|| Self(s.to_string())).ok_or(Rule("code-format"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A code read back from our own tables, where only parsed codes are written.
    pub fn trusted(s: String) -> Self {
        Self(s)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
