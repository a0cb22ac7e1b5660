//! Paying: one payment intent per idempotency key, holding each charge it
//! pays so that no charge is paid twice, then the acquirer's confirmation
//! step (or, from the personal account's balance, at once).

use super::acquirer;
use super::settle::{self, record, record_word};
use crate::ledger;
use crate::{acquirer::AcquirerError, acquirer::Instrument};
use crate::{
    model::IntentEvent, model::IntentState, model::LedgerAccount, model::PayBy,
    model::PaymentInput, model::Purpose, model::charge,
};
use crate::{store, store::INTENT_KEY, store::intent as row};
use chrono::{DateTime, Utc};
use sep_identity::{service::Principal, service::contacts_of};
use sep_kernel::{FieldError, Kopecks, Rule};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::db::violates;
use sep_platform::{error::AppError, error::Result};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
pub struct PaidCharge {
    pub uin: String,
    pub amount_kopecks: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentView {
    pub id: Uuid,
    /// pending, requires_confirmation, processing, succeeded, failed, cancelled
    pub state: String,
    /// charges, top_up
    pub purpose: String,
    /// card, sbp, wallet, balance
    pub method: String,
    pub amount_kopecks: i64,
    pub charges: Vec<PaidCharge>,
    /// What the card shows (brand and last four digits).
    pub card: Option<String>,
    pub failure: Option<String>,
    /// The receipt's operation number, once paid.
    pub operation_number: Option<String>,
    pub created_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
}

/// The first request (201) or a retry that found it (200).
pub struct Created {
    pub created: bool,
    pub payment: PaymentView,
}

pub(super) async fn views(p: &Platform, rows: Vec<row::Model>) -> Result<Vec<PaymentView>> {
    let charges = store::intent_charges(&*p.db, rows.iter().map(|r| r.id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|r| PaymentView {
            charges: charges
                .iter()
                .filter(|c| c.intent_id == r.id)
                .map(|c| PaidCharge {
                    uin: c.uin.clone(),
                    amount_kopecks: c.amount_kopecks,
                })
                .collect(),
            id: r.id,
            state: r.state,
            purpose: r.purpose,
            method: r.method,
            amount_kopecks: r.amount_kopecks,
            card: r.card_mask,
            failure: r.failure,
            operation_number: r.operation_number,
            created_at: r.created_at,
            settled_at: r.settled_at,
        })
        .collect())
}

pub(super) async fn view(p: &Platform, r: row::Model) -> Result<PaymentView> {
    Ok(views(p, vec![r]).await?.remove(0))
}

/// The intent if it is `who`'s (others get "not found", not "forbidden":
/// a payment's existence is nobody else's business).
pub(super) async fn own(p: &Platform, who: &Principal, id: Uuid) -> Result<row::Model> {
    store::intent(&*p.db, id)
        .await?
        .filter(|r| r.owner_id == who.user_id)
        .ok_or(AppError::NotFound)
}

pub async fn payment(p: &Platform, who: &Principal, id: Uuid) -> Result<PaymentView> {
    view(p, own(p, who, id).await?).await
}

/// «История платежей», newest first.
pub async fn my_payments(p: &Platform, who: &Principal) -> Result<Vec<PaymentView>> {
    views(p, store::intents_of(&*p.db, who.user_id, 200).await?).await
}

/// The payment an earlier request with this key made, if the body was the same.
async fn prior(p: &Platform, who: &Principal, key: &str, hash: &str) -> Result<Option<row::Model>> {
    match store::intent_by_key(&*p.db, who.user_id, key).await? {
        None => Ok(None),
        Some(r) if r.request_hash == hash => Ok(Some(r)),
        Some(_) => Err(AppError::conflict("idempotency-key-reused", Vec::new())),
    }
}

/// What each charge costs today, or why it cannot be paid: unknown charges
/// are wrong input (422); paid, held or cancelled ones a conflict (409).
async fn price(p: &Platform, uins: &[sep_kernel::Uin]) -> Result<Vec<(String, i64)>> {
    let rows = store::charges_by_uin(&*p.db, uins.iter().map(|u| u.to_string()).collect()).await?;
    let today = local_date(p.now());
    let (mut unknown, mut taken, mut priced) = (Vec::new(), Vec::new(), Vec::new());
    for (i, uin) in uins.iter().enumerate() {
        let field = format!("charges[{i}]");
        match rows.iter().find(|r| r.uin == uin.as_str()) {
            None => unknown.push(FieldError::new(field, Rule("charge-unknown"))),
            Some(r) if r.status != "unpaid" => {
                taken.push(FieldError::new(field, not_payable(&r.status)))
            }
            Some(r) => {
                let discount = match (r.discount_percent, r.discount_until) {
                    (Some(pct), Some(until)) => Some(crate::model::Discount {
                        percent: pct.clamp(0, 100) as u8,
                        until,
                    }),
                    _ => None,
                };
                let due = charge::due(Kopecks(r.amount_kopecks), discount, today);
                priced.push((r.uin.clone(), due.0));
            }
        }
    }
    if !unknown.is_empty() {
        return Err(AppError::Invalid(unknown));
    }
    if !taken.is_empty() {
        return Err(AppError::Conflict(taken));
    }
    Ok(priced)
}

fn not_payable(status: &str) -> Rule {
    match status {
        "paid" => Rule("charge-already-paid"),
        "processing" => Rule("charge-being-paid"),
        _ => Rule("charge-cancelled"),
    }
}

/// A charge is taken: by a twin of this very request (same key, sent
/// concurrently), whose payment is then the answer, or by another payment.
async fn twin_or(
    p: &Platform,
    who: &Principal,
    key: &str,
    hash: &str,
    refusal: AppError,
) -> Result<Created> {
    match prior(p, who, key, hash).await? {
        Some(r) => Ok(Created {
            created: false,
            payment: view(p, r).await?,
        }),
        None => Err(refusal),
    }
}

/// Starts paying. With the same key and body again, the same payment comes
/// back and nothing new happens; with the same key and another body, 409.
pub async fn pay(
    p: &Platform,
    client: &Client,
    who: &Principal,
    key: &str,
    mut input: PaymentInput,
) -> Result<Created> {
    sep_platform::idempotency::check(key)?;
    let password = input.password.take().unwrap_or_default();
    // Keyed, not a bare hash: the body may hold a card number.
    let hash = p.secrets.mac(
        "payments.request",
        &serde_json::to_vec(&input).expect("serialisable"),
    );
    if let Some(r) = prior(p, who, key, &hash).await? {
        return Ok(Created {
            created: false,
            payment: view(p, r).await?,
        });
    }
    let now = p.now();
    let req = input.check(local_date(now)).map_err(AppError::Invalid)?;
    if req.pay_by == PayBy::Balance {
        sep_identity::service::confirm_password(
            p,
            client,
            who.user_id,
            &password,
            "payment.balance",
        )
        .await?;
    }
    let (purpose, lines, amount) = match &req.purpose {
        Purpose::Charges(uins) => {
            let lines = match price(p, uins).await {
                Err(AppError::Conflict(taken)) => {
                    return twin_or(p, who, key, &hash, AppError::Conflict(taken)).await;
                }
                other => other?,
            };
            let total = lines.iter().map(|l| l.1).sum::<i64>();
            ("charges", lines, total)
        }
        Purpose::TopUp(k) => ("top_up", Vec::new(), k.0),
    };
    let linked = match &req.pay_by {
        PayBy::LinkedCard(id) => Some(
            store::card_of(&*p.db, who.user_id, *id)
                .await?
                .ok_or_else(|| AppError::field("card_id", "card-unknown"))?,
        ),
        _ => None,
    };
    let id = Uuid::now_v7();
    let intent = row::Model {
        id,
        owner_id: who.user_id,
        idempotency_key: key.to_string(),
        request_hash: hash.clone(),
        purpose: purpose.into(),
        method: req.pay_by.method().as_str().into(),
        card_id: linked.as_ref().map(|c| c.id),
        save_card: matches!(req.pay_by, PayBy::NewCard { save: true, .. }),
        amount_kopecks: amount,
        state: IntentState::Pending.as_str().into(),
        acquirer_payment_id: None,
        card_mask: linked.as_ref().map(|c| c.mask.clone()),
        failure: None,
        operation_number: None,
        created_at: now,
        updated_at: now,
        settled_at: None,
        version: 0,
    };
    // Only `txn` inside (see applications::submit for why).
    let txn = p.db.begin().await?;
    if let Err(e) = store::insert_intent(&*txn, intent.clone()).await {
        drop(txn);
        if !violates(&e, &INTENT_KEY) {
            return Err(e.into());
        }
        // A twin with the same key got there first.
        return match prior(p, who, key, &hash).await? {
            Some(r) => Ok(Created {
                created: false,
                payment: view(p, r).await?,
            }),
            None => Err(AppError::conflict("idempotency-key-reused", Vec::new())),
        };
    }
    for (i, (uin, due)) in lines.iter().enumerate() {
        // The hold is the guard against paying twice: only one payment can
        // move a charge from unpaid, whatever key it came with.
        if !store::hold_charge(&*txn, uin, id).await? {
            drop(txn);
            let taken = FieldError::new(format!("charges[{i}]"), Rule("charge-being-paid"));
            return twin_or(p, who, key, &hash, AppError::Conflict(vec![taken])).await;
        }
        store::insert_intent_charge(&*txn, id, uin, *due).await?;
    }
    if req.pay_by == PayBy::Balance {
        ledger::lock_personal(&*txn, who.user_id).await?;
        let balance = ledger::balance(&*txn, &LedgerAccount::Personal(who.user_id)).await?;
        if balance.0 < amount {
            drop(txn);
            return Err(AppError::conflict(
                "balance-insufficient",
                vec![("balance", balance.show())],
            ));
        }
        let number = settle::pay_now(&txn, &intent, now).await?;
        sep_audit::commit(
            txn,
            now,
            client,
            Some(who.user_id),
            "payment.succeeded",
            ("payment", id.to_string()),
            json!({ "method": "balance", "amount_kopecks": amount, "operation_number": number }),
        )
        .await?;
        p.after_commit().await;
        return Ok(Created {
            created: true,
            payment: payment(p, who, id).await?,
        });
    }
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "payment.create",
        ("payment", id.to_string()),
        json!({ "purpose": purpose, "method": intent.method, "amount_kopecks": amount, "charges": lines.iter().map(|l| &l.0).collect::<Vec<_>>() }),
    )
    .await?;
    let phone = contacts_of(&*p.db, who.user_id)
        .await?
        .map(|(phone, _)| phone)
        .unwrap_or_default();
    let token = linked
        .as_ref()
        .map(|c| {
            p.secrets
                .open(&super::cards::token_context(who.user_id), &c.token)
        })
        .transpose()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("card token: {e:?}")))?;
    let instrument = match (&req.pay_by, &token) {
        (PayBy::NewCard { card, .. }, _) => Instrument::Card(card),
        (PayBy::LinkedCard(_), Some(t)) => Instrument::Token(t),
        (PayBy::Sbp, _) => Instrument::Sbp,
        _ => Instrument::Wallet,
    };
    let description = match &req.purpose {
        Purpose::Charges(uins) => format!(
            "Оплата начислений: УИН {}",
            uins.iter()
                .map(|u| u.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Purpose::TopUp(_) => "Пополнение лицевого счёта СЭП".to_string(),
    };
    let save = matches!(req.pay_by, PayBy::NewCard { save: true, .. });
    match acquirer(p)
        .create(id, amount, &description, instrument, &phone, save)
        .await
    {
        Ok(a) => {
            record_word(p, &a).await?;
        }
        Err(AcquirerError::Refused { code, .. }) => {
            record(p, id, IntentEvent::Declined, None, Some(code)).await?;
        }
        Err(AcquirerError::Unreachable(e)) => {
            // No money can move without the payer's code, which only we pass on.
            tracing::warn!(intent = %id, error = %e, "acquirer unreachable when creating a payment");
            record(
                p,
                id,
                IntentEvent::Declined,
                None,
                Some("acquirer-unavailable".into()),
            )
            .await?;
        }
    }
    Ok(Created {
        created: true,
        payment: payment(p, who, id).await?,
    })
}

/// The payer's confirmation code, passed on to the acquirer.
pub async fn confirm(p: &Platform, who: &Principal, id: Uuid, code: &str) -> Result<PaymentView> {
    let intent = own(p, who, id).await?;
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::field("code", "payment-code-format"));
    }
    let state =
        sep_platform::db::stored("payment_intents.state", &intent.state, IntentState::parse)?;
    let acquirer_id = match (&intent.acquirer_payment_id, state) {
        (Some(a), IntentState::RequiresConfirmation) => a.clone(),
        _ => {
            return Err(AppError::conflict(
                "payment-not-awaiting-code",
                vec![("state", format!("payment-state-{}", intent.state))],
            ));
        }
    };
    let answer = acquirer(p).confirm(&acquirer_id, code).await;
    match answer {
        Ok(a) => {
            record_word(p, &a).await?;
        }
        Err(AcquirerError::Refused { code, body, .. }) => {
            // Whatever the acquirer decided about the payment, learn it first.
            if let Ok(a) = acquirer(p).payment(&acquirer_id).await {
                record_word(p, &a).await?;
            }
            let left = body["attempts_left"].as_u64();
            return match code.as_str() {
                "code_wrong" => Err(AppError::Invalid(vec![FieldError {
                    attempts_left: left.map(|n| n as u32),
                    ..FieldError::new(
                        "code",
                        Rule(if left == Some(0) {
                            "code-attempts"
                        } else {
                            "code-wrong"
                        }),
                    )
                }])),
                "code_expired" => Err(AppError::field("code", "code-expired")),
                _ => payment(p, who, id).await,
            };
        }
        Err(AcquirerError::Unreachable(e)) => {
            // The code went out; whether it arrived is unknown. The payment is
            // "В обработке" until the acquirer's word comes or is asked for.
            tracing::warn!(intent = %id, error = %e, "no answer to a confirmation; reconciliation will ask");
            record(p, id, IntentEvent::Confirmed, None, None).await?;
        }
    }
    payment(p, who, id).await
}

/// The payer gives up before confirming.
pub async fn cancel(p: &Platform, who: &Principal, id: Uuid) -> Result<PaymentView> {
    let intent = own(p, who, id).await?;
    let state =
        sep_platform::db::stored("payment_intents.state", &intent.state, IntentState::parse)?;
    match (state, &intent.acquirer_payment_id) {
        (IntentState::Pending, _) | (IntentState::RequiresConfirmation, None) => {
            record(
                p,
                id,
                IntentEvent::Cancelled,
                None,
                Some("cancelled-by-payer".into()),
            )
            .await?;
        }
        (IntentState::RequiresConfirmation, Some(a)) => match acquirer(p).cancel(a).await {
            Ok(word) => {
                record_word(p, &word).await?;
            }
            Err(AcquirerError::Refused { .. }) => {
                let word = acquirer(p)
                    .payment(a)
                    .await
                    .map_err(|e| AppError::Internal(e.into()))?;
                record_word(p, &word).await?;
                return Err(AppError::conflict(
                    "payment-too-late-to-cancel",
                    vec![("state", "payment-state-processing".to_string())],
                ));
            }
            Err(e) => return Err(AppError::Internal(e.into())),
        },
        _ => {
            return Err(AppError::conflict(
                "payment-too-late-to-cancel",
                vec![("state", format!("payment-state-{}", intent.state))],
            ));
        }
    }
    payment(p, who, id).await
}
