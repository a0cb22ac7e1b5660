//! Payee requisites: БИК, КПП and a bank account checked against its БИК.

use super::{Rule, digits_ignoring, digits_to_string};

/// БИК: nine digits identifying a bank (or a treasury office).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bik(String);

super::text_identifier!(Bik);

impl Bik {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let d = digits_ignoring(input, &[]).ok_or(Rule("bik-format"))?;
        if d.len() != 9 {
            return Err(Rule("bik-format"));
        }
        Ok(Self(digits_to_string(&d)))
    }
}

/// КПП: `NNNNPPXXX` — tax office, reason (digits or capital Latin letters), number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Kpp(String);

super::text_identifier!(Kpp);

impl Kpp {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let s = input.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        let ok = b.len() == 9
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4..6]
                .iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            && b[6..].iter().all(u8::is_ascii_digit);
        ok.then_some(Self(s)).ok_or(Rule("kpp-format"))
    }
}

/// A 20-digit account whose control key (its 9th digit) agrees with the bank's БИК.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BankAccount(String);

super::text_identifier!(BankAccount);

const KEY_WEIGHTS: [u32; 3] = [7, 1, 3];

fn key_holds(prefix: &[u8], account: &[u8]) -> bool {
    let sum: u32 = prefix
        .iter()
        .chain(account)
        .enumerate()
        .map(|(i, d)| u32::from(*d) * KEY_WEIGHTS[i % 3])
        .sum();
    sum.is_multiple_of(10)
}

impl BankAccount {
    /// Checks the account's key against `bik`: the 23 digits are the last
    /// three of the БИК and the account — or, for a correspondent account
    /// at the Bank of Russia (`30101…`), `0` and the БИК's 5th and 6th digits.
    pub fn parse(input: &str, bik: &Bik) -> Result<Self, Rule> {
        let a = digits_ignoring(input, &[]).ok_or(Rule("account-format"))?;
        if a.len() != 20 {
            return Err(Rule("account-format"));
        }
        let b: Vec<u8> = bik.0.bytes().map(|c| c - b'0').collect();
        let prefix: Vec<u8> = if a.starts_with(&[3, 0, 1, 0, 1]) {
            vec![0, b[4], b[5]]
        } else {
            b[6..9].to_vec()
        };
        if !key_holds(&prefix, &a) {
            return Err(Rule("account-key"));
        }
        Ok(Self(digits_to_string(&a)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_vectors() {
        let bik = Bik::parse("044525225").unwrap();
        assert!(BankAccount::parse("30101810400000000225", &bik).is_ok());
        assert_eq!(
            BankAccount::parse("30101810400000000226", &bik),
            Err(Rule("account-key"))
        );
        assert_eq!(
            BankAccount::parse("3010181040000000022", &bik),
            Err(Rule("account-format"))
        );
        assert_eq!(Bik::parse("04452522"), Err(Rule("bik-format")));
        assert_eq!(Kpp::parse("773601001").unwrap().as_str(), "773601001");
        assert_eq!(Kpp::parse("7736ab001").unwrap().as_str(), "7736AB001");
        assert_eq!(Kpp::parse("77360100"), Err(Rule("kpp-format")));
        assert_eq!(Kpp::parse("7736-1001"), Err(Rule("kpp-format")));
    }

    #[test]
    fn a_settlement_account_is_keyed_to_the_last_three_digits_of_the_bik() {
        let bik = Bik::parse("044525225").unwrap();
        // Find the key digit that makes 40702810_00000000123 valid, then check
        // that every other digit in its place is refused.
        let valid: Vec<String> = (0..10)
            .map(|k| format!("40702810{k}00000000123"))
            .filter(|a| BankAccount::parse(a, &bik).is_ok())
            .collect();
        assert_eq!(valid.len(), 1, "exactly one key digit fits");
        let other_bik = Bik::parse("044525226").unwrap();
        assert_eq!(
            BankAccount::parse(&valid[0], &other_bik),
            Err(Rule("account-key")),
            "the same account under another bank's БИК"
        );
    }
}

/// Who receives the money: the agency's requisites, each checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    pub name: String,
    pub inn: crate::Inn,
    pub kpp: Kpp,
    pub bik: Bik,
    pub account: BankAccount,
}

/// A payee's requisites as typed; errors are named `payee_name`,
/// `payee_inn`, `payee_kpp`, `payee_bik`, `payee_account` wherever they are
/// entered (a charge, an agency's fee payee).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct PayeeInput {
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub bik: String,
    pub account: String,
}

impl PayeeInput {
    pub fn is_empty(&self) -> bool {
        [&self.name, &self.inn, &self.kpp, &self.bik, &self.account]
            .iter()
            .all(|v| v.trim().is_empty())
    }

    pub fn check(&self, e: &mut crate::FieldErrors) -> Option<Payee> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            e.add("payee_name", crate::Rule("required"));
        }
        let inn = e.required("payee_inn", &self.inn, crate::Inn::parse);
        let kpp = e.required("payee_kpp", &self.kpp, Kpp::parse);
        let bik = e.required("payee_bik", &self.bik, Bik::parse);
        let account = match &bik {
            Some(bik) => e.required("payee_account", &self.account, |a| {
                BankAccount::parse(a, bik)
            }),
            None => None,
        };
        Some(Payee {
            name,
            inn: inn?,
            kpp: kpp?,
            bik: bik?,
            account: account?,
        })
        .filter(|p| !p.name.is_empty())
    }
}

impl Payee {
    /// The same account of the same payee (names may be spelled differently).
    pub fn same_account(&self, other: &Payee) -> bool {
        (&self.inn, &self.kpp, &self.bik, &self.account)
            == (&other.inn, &other.kpp, &other.bik, &other.account)
    }
}

impl From<&Payee> for PayeeInput {
    fn from(p: &Payee) -> Self {
        Self {
            name: p.name.clone(),
            inn: p.inn.to_string(),
            kpp: p.kpp.as_str().into(),
            bik: p.bik.as_str().into(),
            account: p.account.as_str().into(),
        }
    }
}
