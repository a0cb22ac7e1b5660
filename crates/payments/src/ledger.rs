//! The ledger's storage: a movement and its postings are written together in
//! the caller's transaction; balances are sums; `verify` re-checks the books.

use super::model::{LedgerAccount, Movement, Posting};
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryOrder, QuerySelect, Set};
use sep_kernel::Kopecks;
use sep_platform::{db::UniqueKey, db::entity};
use std::collections::BTreeMap;

entity!(movement, "ledger_movements", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub reference: String,
    pub created_at: DateTimeUtc,
});

entity!(posting, "ledger_postings", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub movement_id: Uuid,
    pub account_kind: String,
    pub account_id: String,
    pub amount_kopecks: i64,
});

/// One movement per cause and kind: writing it twice (a replayed callback)
/// breaks this key instead of moving the money again.
pub const MOVEMENT_KEY: UniqueKey = UniqueKey {
    constraint: "ledger_movements_reference_key",
    sqlite_columns: "ledger_movements.kind, ledger_movements.reference",
};

fn columns(a: &LedgerAccount) -> (&'static str, String) {
    match a {
        LedgerAccount::Personal(id) => ("personal", id.to_string()),
        LedgerAccount::Acquirer => ("acquirer", String::new()),
        LedgerAccount::Charge(uin) => ("charge", uin.clone()),
    }
}

fn account_of(kind: &str, id: &str) -> Option<LedgerAccount> {
    match kind {
        "personal" => id.parse().ok().map(LedgerAccount::Personal),
        "acquirer" => Some(LedgerAccount::Acquirer),
        "charge" => Some(LedgerAccount::Charge(id.to_string())),
        _ => None,
    }
}

/// Writes a movement inside the caller's transaction.
pub async fn record(
    txn: &impl ConnectionTrait,
    kind: &str,
    reference: &str,
    m: &Movement,
    now: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    let id = Uuid::now_v7();
    movement::ActiveModel {
        id: Set(id),
        kind: Set(kind.into()),
        reference: Set(reference.into()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    for p in m.postings() {
        let (account_kind, account_id) = columns(&p.account);
        posting::ActiveModel {
            id: Set(Uuid::now_v7()),
            movement_id: Set(id),
            account_kind: Set(account_kind.into()),
            account_id: Set(account_id),
            amount_kopecks: Set(p.amount.0),
        }
        .insert(txn)
        .await?;
    }
    Ok(id)
}

/// An account's balance: the sum of its postings, computed, never stored.
pub async fn balance(db: &impl ConnectionTrait, account: &LedgerAccount) -> Result<Kopecks, DbErr> {
    let (kind, id) = columns(account);
    let amounts: Vec<i64> = posting::Entity::find()
        .select_only()
        .column(posting::Column::AmountKopecks)
        .filter(posting::Column::AccountKind.eq(kind))
        .filter(posting::Column::AccountId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Kopecks(amounts.iter().sum()))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Books {
    Balanced {
        movements: usize,
        postings: usize,
    },
    /// The first movement that breaks the rules, and how.
    Broken {
        movement: Uuid,
        reason: String,
    },
}

/// Re-checks every movement (at least two postings, none zero, summing to
/// zero, known accounts) and that no personal account is below zero.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Books, DbErr> {
    let movements = movement::Entity::find()
        .order_by_asc(movement::Column::Id)
        .all(db)
        .await?;
    let postings = posting::Entity::find()
        .order_by_asc(posting::Column::Id)
        .all(db)
        .await?;
    let mut by_movement: BTreeMap<Uuid, Vec<&posting::Model>> = BTreeMap::new();
    for p in &postings {
        by_movement.entry(p.movement_id).or_default().push(p);
    }
    let mut personal: BTreeMap<String, i64> = BTreeMap::new();
    for m in &movements {
        let rows = by_movement.remove(&m.id).unwrap_or_default();
        let mut checked = Vec::new();
        for r in &rows {
            let Some(account) = account_of(&r.account_kind, &r.account_id) else {
                return Ok(Books::Broken {
                    movement: m.id,
                    reason: format!("unknown account {}:{}", r.account_kind, r.account_id),
                });
            };
            checked.push(Posting {
                account,
                amount: Kopecks(r.amount_kopecks),
            });
        }
        if let Err(e) = Movement::new(checked) {
            return Ok(Books::Broken {
                movement: m.id,
                reason: format!("{e:?}"),
            });
        }
        for r in rows.iter().filter(|r| r.account_kind == "personal") {
            *personal.entry(r.account_id.clone()).or_default() += r.amount_kopecks;
            if personal[&r.account_id] < 0 {
                return Ok(Books::Broken {
                    movement: m.id,
                    reason: format!("personal account {} below zero", r.account_id),
                });
            }
        }
    }
    if let Some((orphan, _)) = by_movement.into_iter().next() {
        return Ok(Books::Broken {
            movement: orphan,
            reason: "postings without their movement".into(),
        });
    }
    Ok(Books::Balanced {
        movements: movements.len(),
        postings: postings.len(),
    })
}

/// Takes a person's account for the rest of the caller's transaction, so two
/// payments from one balance cannot both spend it. PostgreSQL: a transaction
/// advisory lock keyed by the account; SQLite: its single writer already
/// serialises every writing transaction.
pub async fn lock_personal(txn: &impl ConnectionTrait, owner: Uuid) -> Result<(), DbErr> {
    if txn.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    let key = i64::from_be_bytes(owner.as_bytes()[8..16].try_into().expect("8 bytes"));
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1)",
        [key.into()],
    ))
    .await?;
    Ok(())
}

/// One line of an account's statement: a movement as it touched the account.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatementLine {
    pub movement_id: Uuid,
    pub kind: String,
    pub reference: String,
    pub at: DateTime<Utc>,
    /// Into the account (positive) or out of it (negative).
    pub amount_kopecks: i64,
}

/// The movements that touched `account` in `[from, to)`, oldest first.
pub async fn statement(
    db: &impl ConnectionTrait,
    account: &LedgerAccount,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<StatementLine>, DbErr> {
    let (kind, id) = columns(account);
    let postings = posting::Entity::find()
        .filter(posting::Column::AccountKind.eq(kind))
        .filter(posting::Column::AccountId.eq(id))
        .all(db)
        .await?;
    let mut q = movement::Entity::find()
        .filter(movement::Column::Id.is_in(postings.iter().map(|p| p.movement_id)));
    if let Some(from) = from {
        q = q.filter(movement::Column::CreatedAt.gte(from));
    }
    if let Some(to) = to {
        q = q.filter(movement::Column::CreatedAt.lt(to));
    }
    let movements = q
        .order_by_asc(movement::Column::CreatedAt)
        .order_by_asc(movement::Column::Id)
        .all(db)
        .await?;
    Ok(movements
        .into_iter()
        .map(|m| StatementLine {
            amount_kopecks: postings
                .iter()
                .filter(|p| p.movement_id == m.id)
                .map(|p| p.amount_kopecks)
                .sum(),
            movement_id: m.id,
            kind: m.kind,
            reference: m.reference,
            at: m.created_at,
        })
        .collect())
}
