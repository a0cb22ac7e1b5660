//! The personal-account ledger (лицевой счёт) as double entry: every movement
//! is a set of postings that sum to zero, so money is only ever moved, never
//! made or lost; a balance is the sum of an account's postings, never a
//! number stored on its own.

use sep_kernel::{Kopecks, Rule};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where money sits. A posting's amount is what flows *into* the account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum LedgerAccount {
    /// A person's personal account with the platform.
    Personal(Uuid),
    /// The acquirer: money arriving from and returning to cards. Its balance
    /// is the mirror of everything that came in from outside.
    Acquirer,
    /// What is owed on to a payee (the agency of a charge), by its УИН.
    Charge(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub account: LedgerAccount,
    pub amount: Kopecks,
}

/// Why a movement cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unbalanced {
    TooFewPostings,
    ZeroPosting,
    DoesNotSumToZero,
}

/// A movement's postings after checking: at least two, none zero, summing to zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement(Vec<Posting>);

impl Movement {
    pub fn new(postings: Vec<Posting>) -> Result<Self, Unbalanced> {
        if postings.len() < 2 {
            return Err(Unbalanced::TooFewPostings);
        }
        if postings.iter().any(|p| p.amount.0 == 0) {
            return Err(Unbalanced::ZeroPosting);
        }
        let sum = postings
            .iter()
            .try_fold(0i64, |s, p| s.checked_add(p.amount.0));
        if sum != Some(0) {
            return Err(Unbalanced::DoesNotSumToZero);
        }
        Ok(Self(postings))
    }

    /// `amount` from one account to another.
    pub fn transfer(from: LedgerAccount, to: LedgerAccount, amount: Kopecks) -> Result<Self, Rule> {
        let amount = amount.positive()?;
        Ok(Self(vec![
            Posting {
                account: from,
                amount: -amount,
            },
            Posting {
                account: to,
                amount,
            },
        ]))
    }

    /// The movement that undoes this one (a refund, a reversal): the same
    /// postings with their signs turned.
    pub fn reversal(&self) -> Self {
        Self(
            self.0
                .iter()
                .map(|p| Posting {
                    account: p.account.clone(),
                    amount: -p.amount,
                })
                .collect(),
        )
    }

    pub fn postings(&self) -> &[Posting] {
        &self.0
    }
}

/// The balance of `account` over `postings`.
pub fn balance<'a>(
    account: &LedgerAccount,
    postings: impl IntoIterator<Item = &'a Posting>,
) -> Kopecks {
    Kopecks(
        postings
            .into_iter()
            .filter(|p| &p.account == account)
            .map(|p| p.amount.0)
            .sum(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn top_up_pay_and_refund_keep_the_books_balanced() {
        let me = LedgerAccount::Personal(Uuid::nil());
        let fine = LedgerAccount::Charge("18810177220012345678".into());
        let top_up =
            Movement::transfer(LedgerAccount::Acquirer, me.clone(), Kopecks(100_000)).unwrap();
        let pay = Movement::transfer(me.clone(), fine.clone(), Kopecks(75_000)).unwrap();
        let refund =
            Movement::transfer(me.clone(), LedgerAccount::Acquirer, Kopecks(25_000)).unwrap();
        let all: Vec<Posting> = [&top_up, &pay, &refund]
            .iter()
            .flat_map(|m| m.postings().to_vec())
            .collect();
        assert_eq!(balance(&me, &all), Kopecks(0));
        assert_eq!(balance(&fine, &all), Kopecks(75_000));
        assert_eq!(balance(&LedgerAccount::Acquirer, &all), Kopecks(-75_000));
        let total: i64 = all.iter().map(|p| p.amount.0).sum();
        assert_eq!(total, 0);
        let undone: Vec<Posting> = pay
            .postings()
            .iter()
            .chain(pay.reversal().postings())
            .cloned()
            .collect();
        assert_eq!(balance(&fine, &undone), Kopecks(0));
    }

    #[test]
    fn unbalanced_movements_are_refused() {
        let p = |a: LedgerAccount, k: i64| Posting {
            account: a,
            amount: Kopecks(k),
        };
        let me = LedgerAccount::Personal(Uuid::nil());
        assert_eq!(
            Movement::new(vec![p(me.clone(), 5)]),
            Err(Unbalanced::TooFewPostings)
        );
        assert_eq!(
            Movement::new(vec![p(me.clone(), 5), p(LedgerAccount::Acquirer, -4)]),
            Err(Unbalanced::DoesNotSumToZero)
        );
        assert_eq!(
            Movement::new(vec![p(me.clone(), 0), p(LedgerAccount::Acquirer, 0)]),
            Err(Unbalanced::ZeroPosting)
        );
        assert_eq!(
            Movement::transfer(me, LedgerAccount::Acquirer, Kopecks(0)),
            Err(Rule("amount-not-positive"))
        );
    }

    proptest! {
        #[test]
        fn any_sequence_of_transfers_sums_to_zero(amounts in proptest::collection::vec(1i64..10_000_000, 1..50)) {
            let accounts = [
                LedgerAccount::Acquirer,
                LedgerAccount::Personal(Uuid::nil()),
                LedgerAccount::Charge("u".into()),
            ];
            let mut all = Vec::new();
            for (i, a) in amounts.iter().enumerate() {
                let m = Movement::transfer(accounts[i % 3].clone(), accounts[(i + 1) % 3].clone(), Kopecks(*a)).unwrap();
                all.extend(m.postings().to_vec());
            }
            let sum: i64 = accounts.iter().map(|a| balance(a, &all).0).sum();
            prop_assert_eq!(sum, 0);
        }
    }
}
