use crate::ids::Rule;

/// One part of ФИО: Cyrillic letters with hyphens and spaces, trimmed,
/// spaces collapsed and each word capitalised ("анна-мария" → "Анна-Мария").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePart(String);

const MAX_CHARS: usize = 60;

fn is_cyrillic_letter(c: char) -> bool {
    matches!(c, 'А'..='я' | 'Ё' | 'ё')
}

impl NamePart {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let words: Vec<&str> = input.split_whitespace().collect();
        let joined = words
            .join(" ")
            .replace(" - ", "-")
            .replace("- ", "-")
            .replace(" -", "-");
        if joined.is_empty() {
            return Err(Rule("required"));
        }
        if joined.chars().count() > MAX_CHARS {
            return Err(Rule("name-length"));
        }
        if !joined
            .chars()
            .all(|c| is_cyrillic_letter(c) || c == '-' || c == ' ')
        {
            return Err(Rule("name-letters"));
        }
        if joined.starts_with('-') || joined.ends_with('-') || joined.contains("--") {
            return Err(Rule("name-hyphen"));
        }
        Ok(Self(capitalise_words(&joined)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn capitalise_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in s.chars() {
        if at_word_start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        at_word_start = c == ' ' || c == '-';
    }
    out
}

impl std::fmt::Display for NamePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(NamePart::parse("  иванов ").unwrap().as_str(), "Иванов");
        assert_eq!(
            NamePart::parse("анна - мария").unwrap().as_str(),
            "Анна-Мария"
        );
        assert_eq!(NamePart::parse("СЕМЁН").unwrap().as_str(), "Семён");
        assert_eq!(
            NamePart::parse("оглы  мамед").unwrap().as_str(),
            "Оглы Мамед"
        );
    }

    #[test]
    fn refuses() {
        assert_eq!(NamePart::parse("Ivanov"), Err(Rule("name-letters")));
        assert_eq!(NamePart::parse("Иванов1"), Err(Rule("name-letters")));
        assert_eq!(NamePart::parse("-Иванов"), Err(Rule("name-hyphen")));
        assert_eq!(NamePart::parse("   "), Err(Rule("required")));
        assert_eq!(NamePart::parse(&"а".repeat(61)), Err(Rule("name-length")));
    }
}
