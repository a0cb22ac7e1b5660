use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use sep_kernel::Rule;

/// A password that passed the policy. Holds the plain text only until it is hashed.
pub struct Password(String);

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;
/// zxcvbn's scale: 3 = "safely unguessable", guesses ≥ 10^8; below that are the
/// common passwords, keyboard walks and dictionary words with digits on the end.
const MIN_STRENGTH: zxcvbn::Score = zxcvbn::Score::Three;

impl Password {
    /// `personal` are strings the password must not lean on: the user's phone, email, name.
    pub fn parse(input: &str, personal: &[&str]) -> Result<Self, Rule> {
        let n = input.chars().count();
        if !(MIN_CHARS..=MAX_CHARS).contains(&n) {
            return Err(Rule("password-length"));
        }
        let has = |f: fn(char) -> bool| input.chars().any(f);
        if !(has(char::is_lowercase) && has(char::is_uppercase) && has(|c| c.is_ascii_digit())) {
            return Err(Rule("password-classes"));
        }
        if zxcvbn::zxcvbn(input, personal).score() < MIN_STRENGTH {
            return Err(Rule("password-common"));
        }
        Ok(Self(input.to_string()))
    }

    /// Argon2id PHC string with a fresh salt. Deliberately slow: call off the async threads.
    pub fn hash(&self) -> String {
        hash_secret(&self.0)
    }
}

pub fn hash_secret(secret: &str) -> String {
    Argon2::default()
        .hash_password(secret.as_bytes())
        .map(|h| h.to_string())
        .unwrap_or_default()
}

/// Constant-time check of a password against a stored PHC string.
pub fn verify_secret(secret: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(secret.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert_eq!(
            Password::parse("Ab1", &[]).err(),
            Some(Rule("password-length"))
        );
        assert_eq!(
            Password::parse("correcthorsebattery", &[]).err(),
            Some(Rule("password-classes"))
        );
        assert_eq!(
            Password::parse("Password123", &[]).err(),
            Some(Rule("password-common"))
        );
        assert_eq!(
            Password::parse("Qwerty123", &[]).err(),
            Some(Rule("password-common"))
        );
        assert_eq!(
            Password::parse("Ivanov79123456789", &["79123456789", "ivanov"]).err(),
            Some(Rule("password-common"))
        );
        assert!(Password::parse("Vesna-Tuman-42", &[]).is_ok());
    }

    #[test]
    fn hash_and_verify() {
        let p = Password::parse("Vesna-Tuman-42", &[]).unwrap();
        let phc = p.hash();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_secret("Vesna-Tuman-42", &phc));
        assert!(!verify_secret("Vesna-Tuman-43", &phc));
        assert!(!verify_secret("Vesna-Tuman-42", "not a hash"));
    }
}
