use sep_kernel::Rule;

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

/// What public checks show of a person: «Иванов Иван Иванович» → «И***** И. И.».
pub fn masked_full_name(name: &str) -> String {
    let mut parts = name.split_whitespace();
    let Some(last) = parts.next() else {
        return "—".into();
    };
    let mut shown: String = last.chars().take(1).collect();
    shown.push_str(&"*".repeat(last.chars().count().saturating_sub(1)));
    for p in parts {
        shown.push(' ');
        shown.extend(p.chars().take(1));
        shown.push('.');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_to_initials() {
        assert_eq!(masked_full_name("Иванов Иван Иванович"), "И***** И. И.");
        assert_eq!(masked_full_name("Ли"), "Л*");
        assert_eq!(masked_full_name(" "), "—");
    }

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
