//! The personal account (лицевой счёт): its balance and statement, derived
//! from the ledger; refunds of what is on it back to the card it came from.

use super::acquirer;
use crate::acquirer::AcquirerError;
use crate::{ledger, ledger::StatementLine};
use crate::{model::LedgerAccount, model::Movement, model::Statement, model::StatementEntry};
use crate::{store, store::refund as refund_row};
use chrono::Datelike;
use chrono::{DateTime, NaiveDate, Utc};
use sep_identity::{service::Principal, service::full_name_of};
use sep_kernel::Kopecks;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::events;
use sep_platform::{error::AppError, error::Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Serialize)]
pub struct AccountView {
    pub balance_kopecks: i64,
}

pub async fn account(p: &Platform, who: &Principal) -> Result<AccountView> {
    let balance = ledger::balance(&*p.db, &LedgerAccount::Personal(who.user_id)).await?;
    Ok(AccountView {
        balance_kopecks: balance.0,
    })
}

/// Filters of the account's history; dates are the user's calendar days, inclusive.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct HistoryQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// top_up, payment, refund, refund_reversal, orphan_settlement
    pub kind: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct History {
    pub opening_kopecks: i64,
    pub closing_kopecks: i64,
    pub lines: Vec<StatementLine>,
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    sep_platform::clock::start_of_local_day(day)
}

/// The account's movements in a period, with the balance before and after it.
pub async fn history(p: &Platform, who: &Principal, q: &HistoryQuery) -> Result<History> {
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        return Err(AppError::field("from", "period-reversed"));
    }
    let account = LedgerAccount::Personal(who.user_id);
    let from = q.from.map(start_of);
    let to = q.to.map(|d| start_of(d + chrono::Duration::days(1)));
    let before = match from {
        Some(f) => ledger::statement(&*p.db, &account, None, Some(f)).await?,
        None => Vec::new(),
    };
    let opening: i64 = before.iter().map(|l| l.amount_kopecks).sum();
    let all = ledger::statement(&*p.db, &account, from, to).await?;
    let closing = opening + all.iter().map(|l| l.amount_kopecks).sum::<i64>();
    let lines = all
        .into_iter()
        .filter(|l| {
            q.kind
                .as_deref()
                .is_none_or(|k| k.is_empty() || l.kind == k)
        })
        .collect();
    Ok(History {
        opening_kopecks: opening,
        closing_kopecks: closing,
        lines,
    })
}

/// The statement document of a period: by default from the first day of
/// the current month to today.
pub async fn statement(p: &Platform, who: &Principal, q: &HistoryQuery) -> Result<Statement> {
    let today = local_date(p.now());
    let to = q.to.unwrap_or(today);
    let from = q
        .from
        .unwrap_or_else(|| to.with_day(1).expect("every month has a first day"));
    let period = HistoryQuery {
        from: Some(from),
        to: Some(to),
        kind: q.kind.clone(),
    };
    let h = history(p, who, &period).await?;
    let ids = h
        .lines
        .iter()
        .filter_map(|l| l.reference.parse::<Uuid>().ok())
        .collect();
    let numbers: HashMap<String, String> = store::intents_by_id(&*p.db, ids)
        .await?
        .into_iter()
        .filter_map(|i| Some((i.id.to_string(), i.operation_number?)))
        .collect();
    Ok(Statement {
        holder: full_name_of(p, who.user_id)
            .await?
            .unwrap_or_else(|| "—".into()),
        from,
        to,
        opening_kopecks: h.opening_kopecks,
        closing_kopecks: h.closing_kopecks,
        entries: h
            .lines
            .into_iter()
            .map(|l| StatementEntry {
                document: numbers
                    .get(&l.reference)
                    .cloned()
                    .unwrap_or_else(|| l.reference.clone()),
                at: l.at,
                kind: l.kind,
                amount_kopecks: l.amount_kopecks,
            })
            .collect(),
        made_at: p.now(),
    })
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RefundInput {
    pub amount_kopecks: i64,
}

#[derive(Debug, Serialize)]
pub struct RefundView {
    pub id: Uuid,
    pub amount_kopecks: i64,
    /// pending, succeeded, failed
    pub state: String,
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
}

fn refund_view(r: refund_row::Model) -> RefundView {
    RefundView {
        id: r.id,
        amount_kopecks: r.amount_kopecks,
        state: r.state,
        failure: r.failure,
        created_at: r.created_at,
    }
}

/// Returns money from the personal account to the card of a top-up that
/// brought at least that much. The money leaves the account at once (so it
/// cannot be spent twice); if the acquirer refuses, it comes back.
pub async fn refund(
    p: &Platform,
    client: &Client,
    who: &Principal,
    input: RefundInput,
) -> Result<RefundView> {
    let amount = Kopecks(input.amount_kopecks)
        .positive()
        .map_err(|r| AppError::Invalid(vec![sep_kernel::FieldError::new("amount_kopecks", r)]))?;
    let now = p.now();
    let id = Uuid::now_v7();
    let txn = p.db.begin().await?;
    ledger::lock_personal(&*txn, who.user_id).await?;
    let balance = ledger::balance(&*txn, &LedgerAccount::Personal(who.user_id)).await?;
    if balance.0 < amount.0 {
        return Err(AppError::conflict(
            "balance-insufficient",
            vec![("balance", balance.show())],
        ));
    }
    let top_ups = store::top_ups_of(&*txn, who.user_id).await?;
    let refunded = store::refunds_of_intents(&*txn, top_ups.iter().map(|t| t.id).collect()).await?;
    let source = top_ups.into_iter().find(|t| {
        let back: i64 = refunded
            .iter()
            .filter(|r| r.intent_id == t.id)
            .map(|r| r.amount_kopecks)
            .sum();
        t.amount_kopecks - back >= amount.0
    });
    let Some(source) = source else {
        return Err(AppError::field("amount_kopecks", "refund-exceeds-top-up"));
    };
    let row = refund_row::Model {
        id,
        owner_id: who.user_id,
        intent_id: source.id,
        amount_kopecks: amount.0,
        state: "pending".into(),
        acquirer_refund_id: None,
        failure: None,
        created_at: now,
        updated_at: now,
    };
    store::insert_refund(&*txn, row.clone()).await?;
    let out = Movement::transfer(
        LedgerAccount::Personal(who.user_id),
        LedgerAccount::Acquirer,
        amount,
    )
    .map_err(|r| AppError::Internal(anyhow::anyhow!("refund: {r:?}")))?;
    ledger::record(&*txn, "refund", &id.to_string(), &out, now).await?;
    balance_changed(&txn, who.user_id, -amount.0, "refund", now).await?;
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "account.refund",
        ("refund", id.to_string()),
        json!({ "amount_kopecks": amount.0, "top_up": source.id }),
    )
    .await?;
    send_refund(p, id).await?;
    p.after_commit().await;
    let r = store::refund(&*p.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(refund_view(r))
}

/// Asks the acquirer to pay a pending refund out (again: the refund's id is
/// the idempotence key). A refusal puts the money back on the account.
async fn send_refund(p: &Platform, id: Uuid) -> Result<()> {
    let Some(r) = store::refund(&*p.db, id)
        .await?
        .filter(|r| r.state == "pending")
    else {
        return Ok(());
    };
    let Some(source) = store::intent(&*p.db, r.intent_id).await? else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "refund {id} of a missing top-up"
        )));
    };
    let payment = source.acquirer_payment_id.clone().unwrap_or_default();
    let now = p.now();
    match acquirer(p).refund(id, &payment, r.amount_kopecks).await {
        Ok(done) => {
            let txn = p.db.begin().await?;
            store::finish_refund(&*txn, id, "succeeded", Some(done.id), None, now).await?;
            txn.commit().await?;
        }
        Err(AcquirerError::Refused { code, .. }) => {
            let txn = p.db.begin().await?;
            if store::finish_refund(&*txn, id, "failed", None, Some(code), now).await? {
                let back = Movement::transfer(
                    LedgerAccount::Acquirer,
                    LedgerAccount::Personal(r.owner_id),
                    Kopecks(r.amount_kopecks),
                )
                .map_err(|e| AppError::Internal(anyhow::anyhow!("refund reversal: {e:?}")))?;
                ledger::record(&*txn, "refund_reversal", &id.to_string(), &back, now).await?;
                balance_changed(&txn, r.owner_id, r.amount_kopecks, "refund_reversal", now).await?;
            }
            txn.commit().await?;
        }
        Err(AcquirerError::Unreachable(e)) => {
            tracing::warn!(refund = %id, error = %e, "refund not sent; will retry");
        }
    }
    Ok(())
}

/// Sends the refunds a crash or an unreachable acquirer left pending.
pub async fn retry_refunds(p: &Platform) -> Result<usize> {
    let pending = store::refunds_in_state(&*p.db, "pending").await?;
    for r in &pending {
        send_refund(p, r.id).await?;
    }
    Ok(pending.len())
}

/// Tells the owner their balance moved (the notice is made from this event).
pub(super) async fn balance_changed(
    txn: &sep_platform::db::Txn,
    owner: Uuid,
    delta: i64,
    cause: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    events::publish(
        &**txn,
        now,
        &crate::events::BalanceChanged {
            owner_id: owner,
            delta_kopecks: delta,
            cause: cause.into(),
        },
    )
    .await?;
    Ok(())
}
