use super::Rule;
use std::str::FromStr;

/// An email address (RFC 5322 addr-spec, as the `email_address` crate checks it),
/// lower-cased whole: RFC 5321 lets a local part be case-sensitive, but no mail
/// service people use treats it so, and one mailbox must be one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

const MAX_LEN: usize = 254;

impl Email {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let s = input.trim();
        if s.len() > MAX_LEN {
            return Err(Rule("email-length"));
        }
        let parsed = email_address::EmailAddress::from_str(s).map_err(|_| Rule("email-format"))?;
        // A bare host ("user@localhost") is valid RFC but no citizen has one.
        if !parsed.domain().contains('.') {
            return Err(Rule("email-format"));
        }
        Ok(Self(
            format!("{}@{}", parsed.local_part(), parsed.domain()).to_lowercase(),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `iv***@example.ru`
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.split_once('@').unwrap_or((&self.0, ""));
        let shown: String = local.chars().take(2).collect();
        format!("{shown}***@{domain}")
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(
            Email::parse(" Ivan.Petrov@Mail.RU ").unwrap().as_str(),
            "ivan.petrov@mail.ru"
        );
        assert_eq!(
            Email::parse("ivan@пример.рф").unwrap().as_str(),
            "ivan@пример.рф"
        );
        assert_eq!(
            Email::parse("ivan@mail.ru").unwrap().masked(),
            "iv***@mail.ru"
        );
        for bad in [
            "ivan",
            "ivan@",
            "@mail.ru",
            "ivan@localhost",
            "iv an@mail.ru",
        ] {
            assert_eq!(Email::parse(bad), Err(Rule("email-format")), "{bad}");
        }
        assert_eq!(
            Email::parse(&format!("{}@mail.ru", "a".repeat(250))),
            Err(Rule("email-length"))
        );
    }
}
