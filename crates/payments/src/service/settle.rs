//! The acquirer's word, applied: whatever brings it (the answer to our own
//! call, a signed callback, reconciliation), it goes through `record`, which
//! moves the intent one step along its graph in one transaction with all that
//! step causes — the ledger movement, the charges' status, the receipt
//! number, the audit record and the event. A replayed word is "already done";
//! a paid intent stays paid.

use super::{acquirer, receipts};
use crate::events::PaymentSettled;
use crate::ledger;
use crate::{acquirer::AcquirerError, acquirer::AcquirerPayment, acquirer::AcquirerStatus};
use crate::{
    model::IntentEvent, model::IntentState, model::LedgerAccount, model::Movement, model::Outcome,
    model::Posting, model::intent,
};
use crate::{store, store::Move, store::intent as row};
use chrono::{DateTime, Datelike, Utc};
use sep_kernel::Kopecks;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::db::Txn;
use sep_platform::events;
use sep_platform::{error::AppError, error::Result};
use serde_json::json;
use uuid::Uuid;

/// How long an intent may wait for the acquirer's word before reconciliation asks.
pub const RECONCILE_AFTER: chrono::Duration = chrono::Duration::seconds(30);

/// What the acquirer's status means for an intent.
pub fn event_of(a: &AcquirerPayment) -> IntentEvent {
    match a.status {
        AcquirerStatus::WaitingForConfirmation => IntentEvent::AcquirerAccepted,
        AcquirerStatus::Processing => IntentEvent::Confirmed,
        AcquirerStatus::Succeeded => IntentEvent::Settled,
        AcquirerStatus::Canceled if a.cancel_reason.as_deref() == Some("canceled_by_merchant") => {
            IntentEvent::Cancelled
        }
        AcquirerStatus::Canceled => IntentEvent::Declined,
    }
}

/// Applies the acquirer's word about an intent.
pub async fn record_word(p: &Platform, a: &AcquirerPayment) -> Result<row::Model> {
    let id: Uuid = a.order_id.parse().map_err(|_| {
        AppError::Internal(anyhow::anyhow!("acquirer order {} is not ours", a.order_id))
    })?;
    record(p, id, event_of(a), Some(a), a.cancel_reason.clone()).await
}

/// Moves intent `id` by `event` (with the acquirer's payment when it said
/// so), retrying when a concurrent word moved it first. Returns the intent as
/// it now stands.
pub async fn record(
    p: &Platform,
    id: Uuid,
    event: IntentEvent,
    word: Option<&AcquirerPayment>,
    failure: Option<String>,
) -> Result<row::Model> {
    for _ in 0..5 {
        let current = store::intent(&*p.db, id).await?.ok_or(AppError::NotFound)?;
        let from = IntentState::parse(&current.state).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "intent {id} in unknown state {}",
                current.state
            ))
        })?;
        let to = match intent::apply(from, event) {
            Outcome::Moves(to) => to,
            Outcome::AlreadyDone => return Ok(current),
            Outcome::Refused => {
                if event == IntentEvent::Settled {
                    keep_orphan_money(p, &current, word).await?;
                } else {
                    tracing::info!(intent = %id, ?from, ?event, "acquirer word does not apply; ignored");
                }
                return Ok(current);
            }
        };
        if let Some(a) = word
            && to == IntentState::Succeeded
            && a.amount_kopecks != current.amount_kopecks
        {
            // Never book a sum other than the one asked for; a person must look.
            return Err(AppError::Internal(anyhow::anyhow!(
                "acquirer settled {} for intent {id} of {}",
                a.amount_kopecks,
                current.amount_kopecks
            )));
        }
        let now = p.now();
        let txn = p.db.begin().await?;
        let mut m = Move {
            acquirer_payment_id: word.map(|a| a.id.clone()),
            card_mask: word.and_then(|a| a.card.as_ref()).map(|c| c.mask()),
            ..Move::default()
        };
        match to {
            IntentState::Succeeded => {
                m.operation_number = Some(operation_number(&txn, now).await?);
                m.settled_at = Some(now);
            }
            IntentState::Failed | IntentState::Cancelled => {
                m.failure = failure.clone().or(Some(to.as_str().to_string()));
            }
            _ => {}
        }
        let number = m.operation_number.clone();
        if !store::move_intent(&*txn, id, current.version, to.as_str(), m, now).await? {
            continue;
        }
        match to {
            IntentState::Succeeded => {
                book(&txn, &current, now).await?;
                announce(&txn, &current, true, number.as_deref(), now).await?;
            }
            IntentState::Failed | IntentState::Cancelled => {
                store::release_charges(&*txn, id).await?;
                announce(&txn, &current, false, None, now).await?;
            }
            _ => {}
        }
        if let Some(a) = word {
            link_card(p, &txn, &current, a, now).await?;
        }
        sep_audit::commit(
            txn,
            now,
            &Client::system(),
            None,
            &format!("payment.{}", to.as_str()),
            ("payment", id.to_string()),
            json!({ "from": from.as_str(), "event": event, "failure": failure }),
        )
        .await?;
        p.after_commit().await;
        return store::intent(&*p.db, id).await?.ok_or(AppError::NotFound);
    }
    Err(AppError::Internal(anyhow::anyhow!(
        "intent {id} kept moving"
    )))
}

/// A payment from the personal account, settled at once in the caller's
/// transaction; returns its operation number.
pub async fn pay_now(txn: &Txn, intent: &row::Model, now: DateTime<Utc>) -> Result<String> {
    let number = operation_number(txn, now).await?;
    let m = Move {
        operation_number: Some(number.clone()),
        settled_at: Some(now),
        ..Move::default()
    };
    let to = IntentState::Succeeded.as_str();
    if !store::move_intent(&**txn, intent.id, intent.version, to, m, now).await? {
        return Err(AppError::Internal(anyhow::anyhow!(
            "intent {} moved under its own transaction",
            intent.id
        )));
    }
    book(txn, intent, now).await?;
    announce(txn, intent, true, Some(&number), now).await?;
    Ok(number)
}

/// `П-2026-000042`: the receipt's operation number, counted per year.
async fn operation_number(txn: &Txn, now: DateTime<Utc>) -> Result<String> {
    let year = local_date(now).year();
    let n = store::next_operation(&**txn, year).await?;
    Ok(format!("П-{year}-{n:06}"))
}

/// The ledger movement of a successful payment: from the card (the
/// acquirer) or the personal account to each charge's payee, or from the
/// card onto the personal account for a top-up.
pub async fn book(txn: &Txn, intent: &row::Model, now: DateTime<Utc>) -> Result<()> {
    let total = Kopecks(intent.amount_kopecks);
    let source = if intent.method == "balance" {
        LedgerAccount::Personal(intent.owner_id)
    } else {
        LedgerAccount::Acquirer
    };
    let movement = if intent.purpose == "top_up" {
        Movement::transfer(source, LedgerAccount::Personal(intent.owner_id), total)
            .map_err(|r| AppError::Internal(anyhow::anyhow!("top-up of {total:?}: {r:?}")))?
    } else {
        let mut postings = vec![Posting {
            account: source,
            amount: -total,
        }];
        for c in store::intent_charges(&**txn, vec![intent.id]).await? {
            postings.push(Posting {
                account: LedgerAccount::Charge(c.uin),
                amount: Kopecks(c.amount_kopecks),
            });
        }
        Movement::new(postings)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("payment {}: {e:?}", intent.id)))?
    };
    let kind = if intent.purpose == "top_up" {
        "top_up"
    } else {
        "payment"
    };
    ledger::record(&**txn, kind, &intent.id.to_string(), &movement, now).await?;
    let delta = match (intent.purpose.as_str(), intent.method.as_str()) {
        ("top_up", _) => intent.amount_kopecks,
        (_, "balance") => -intent.amount_kopecks,
        _ => 0,
    };
    if delta != 0 {
        super::account::balance_changed(txn, intent.owner_id, delta, kind, now).await?;
    }
    store::pay_charges(&**txn, intent.id, now).await?;
    Ok(())
}

async fn announce(
    txn: &Txn,
    intent: &row::Model,
    succeeded: bool,
    operation_number: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let charges: Vec<_> = store::intent_charges(&**txn, vec![intent.id])
        .await?
        .into_iter()
        .map(|c| c.uin)
        .collect();
    let applications: Vec<_> = store::charges_by_uin(&**txn, charges.clone())
        .await?
        .into_iter()
        .filter_map(|c| c.application_id)
        .collect();
    events::publish(
        &**txn,
        now,
        &PaymentSettled {
            intent_id: intent.id,
            owner_id: intent.owner_id,
            purpose: sep_platform::db::stored(
                "payment_intents.purpose",
                &intent.purpose,
                crate::events::PaidFor::from_stored,
            )?,
            method: sep_platform::db::stored(
                "payment_intents.method",
                &intent.method,
                crate::model::Method::from_stored,
            )?,
            amount_kopecks: intent.amount_kopecks,
            operation_number: operation_number.map(str::to_string),
            charges,
            applications,
            attachment: operation_number.map(|_| receipts::attachment_ref(intent.id)),
            succeeded,
        },
    )
    .await?;
    Ok(())
}

/// Links the card the payer asked to keep, once the acquirer returned its token.
async fn link_card(
    p: &Platform,
    txn: &Txn,
    intent: &row::Model,
    a: &AcquirerPayment,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(card) = a
        .card
        .as_ref()
        .filter(|_| intent.save_card && intent.card_id.is_none())
    else {
        return Ok(());
    };
    let Some(token) = &card.token else {
        return Ok(());
    };
    let known = store::cards_of(&**txn, intent.owner_id).await?;
    let id = Uuid::now_v7();
    let sealed = p
        .secrets
        .seal(&super::cards::token_context(intent.owner_id), token);
    let already = known.iter().any(|k| {
        p.secrets
            .open(&super::cards::token_context(intent.owner_id), &k.token)
            .is_ok_and(|t| &t == token)
    });
    if already {
        return Ok(());
    }
    store::insert_card(
        &**txn,
        store::card::Model {
            id,
            owner_id: intent.owner_id,
            token: sealed,
            mask: card.mask(),
            brand: card.brand.clone(),
            expiry_month: card.expiry_month as i16,
            expiry_year: card.expiry_year as i16,
            created_at: now,
            removed_at: None,
        },
    )
    .await?;
    Ok(())
}

/// Money the acquirer took for an intent we had already ended (it should not
/// happen; if it does, the money must not vanish): it goes onto the payer's
/// personal account, once, from where it can be refunded.
async fn keep_orphan_money(
    p: &Platform,
    intent: &row::Model,
    word: Option<&AcquirerPayment>,
) -> Result<()> {
    let Some(a) = word else { return Ok(()) };
    if IntentState::parse(&intent.state).is_some_and(|s| s == IntentState::Succeeded) {
        return Ok(());
    }
    let now = p.now();
    let txn = p.db.begin().await?;
    let movement = Movement::transfer(
        LedgerAccount::Acquirer,
        LedgerAccount::Personal(intent.owner_id),
        Kopecks(a.amount_kopecks),
    )
    .map_err(|r| AppError::Internal(anyhow::anyhow!("orphan settlement: {r:?}")))?;
    match ledger::record(
        &*txn,
        "orphan_settlement",
        &intent.id.to_string(),
        &movement,
        now,
    )
    .await
    {
        Ok(_) => {}
        Err(e) if sep_platform::db::violates(&e, &ledger::MOVEMENT_KEY) => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    tracing::error!(intent = %intent.id, state = %intent.state, "acquirer settled an ended payment; credited to the personal account");
    super::account::balance_changed(
        &txn,
        intent.owner_id,
        a.amount_kopecks,
        "orphan_settlement",
        now,
    )
    .await?;
    sep_audit::commit(
        txn,
        now,
        &Client::system(),
        None,
        "payment.orphan_settlement",
        ("payment", intent.id.to_string()),
        json!({ "amount_kopecks": a.amount_kopecks, "state": intent.state }),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Default, serde::Serialize)]
pub struct Reconciled {
    pub asked: usize,
    pub moved: usize,
    pub unreachable: usize,
}

/// Asks the acquirer about every intent that has waited longer than
/// `older_than` for its word, and records the answers.
pub async fn reconcile(p: &Platform, older_than: chrono::Duration) -> Result<Reconciled> {
    let waiting = ["pending", "requires_confirmation", "processing"];
    let stale = store::stale_intents(&*p.db, &waiting, p.now() - older_than).await?;
    let mut r = Reconciled::default();
    for intent in stale {
        if intent.method == "balance" {
            continue;
        }
        r.asked += 1;
        let found = match &intent.acquirer_payment_id {
            Some(id) => acquirer(p).payment(id).await.map(Some),
            None => acquirer(p)
                .payments_of(intent.id)
                .await
                .map(|v| v.into_iter().next()),
        };
        // Created here, never there: nothing can have been paid.
        let never_there = match &found {
            Ok(None) => true,
            Err(AcquirerError::Refused { code, .. }) => code == "payment_unknown",
            _ => false,
        };
        let after = match found {
            Ok(Some(a)) => record_word(p, &a).await?,
            _ if never_there => {
                record(
                    p,
                    intent.id,
                    IntentEvent::Declined,
                    None,
                    Some("acquirer-no-record".into()),
                )
                .await?
            }
            Ok(None) => continue, // taken by `never_there`
            Err(e) => {
                tracing::warn!(intent = %intent.id, error = %e, "acquirer not reached for reconciliation");
                r.unreachable += 1;
                continue;
            }
        };
        if after.state != intent.state {
            r.moved += 1;
        }
    }
    Ok(r)
}

/// A callback from the acquirer: its signature checked over the exact bytes
/// received, then its word recorded. Replays are acknowledged and change nothing.
pub async fn callback(p: &Platform, body: &[u8], signature: Option<&str>) -> Result<()> {
    let genuine = signature.is_some_and(|s| acquirer(p).verify(body, s));
    if !genuine {
        tracing::warn!("acquirer callback with a wrong signature refused");
        return Err(AppError::Unauthorized(sep_kernel::Rule(
            "signature-invalid",
        )));
    }
    let note: serde_json::Value = serde_json::from_slice(body)
        .map_err(|_| AppError::BadRequest(sep_kernel::Rule("callback-malformed")))?;
    let event = note["event"].as_str().unwrap_or("");
    if !event.starts_with("payment.") {
        // Refund notices: refunds are settled by the answer to our own call.
        return Ok(());
    }
    let word: AcquirerPayment = serde_json::from_value(note["object"].clone())
        .map_err(|_| AppError::BadRequest(sep_kernel::Rule("callback-malformed")))?;
    record_word(p, &word).await.map(|_| ())
}
