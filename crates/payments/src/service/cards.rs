//! Linked cards: the acquirer keeps the card behind a token; СЭП keeps the
//! token (sealed), the brand, the last four digits and the expiry — never
//! the number or the CVC.

use super::acquirer;
use crate::acquirer::AcquirerError;
use crate::model::Card;
use crate::store;
use crate::{model::request::CardInput, model::request::CardNumber, model::request::parse_expiry};
use chrono::{DateTime, Utc};
use sep_identity::service::Principal;
use sep_kernel::{FieldErrors, Rule};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::{error::AppError, error::Result};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

pub(super) fn token_context(owner: Uuid) -> String {
    format!("payment_cards.token/{owner}")
}

#[derive(Debug, Serialize)]
pub struct CardView {
    pub id: Uuid,
    /// Brand and last four digits: «VISA •••• 1111».
    pub mask: String,
    pub brand: String,
    pub expiry_month: i16,
    pub expiry_year: i16,
    pub created_at: DateTime<Utc>,
}

fn view(c: store::card::Model) -> CardView {
    CardView {
        id: c.id,
        mask: c.mask,
        brand: c.brand,
        expiry_month: c.expiry_month,
        expiry_year: c.expiry_year,
        created_at: c.created_at,
    }
}

pub async fn my_cards(p: &Platform, who: &Principal) -> Result<Vec<CardView>> {
    Ok(store::cards_of(&*p.db, who.user_id)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

fn check(input: &CardInput, today: chrono::NaiveDate) -> Result<Card> {
    let mut e = FieldErrors::new();
    let number = e.required("card.number", &input.number, CardNumber::parse);
    let expiry = e.required("card.expiry", &input.expiry, |s| parse_expiry(s, today));
    let cvc = input.cvc.trim();
    if cvc.len() != 3 || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        e.add("card.cvc", Rule("cvc-format"));
    }
    e.finish(|| {
        let (expiry_month, expiry_year) = expiry.expect("checked");
        Card {
            number: number.expect("checked"),
            expiry_month,
            expiry_year,
            cvc: cvc.to_string(),
        }
    })
    .map_err(AppError::Invalid)
}

/// Links a card: the acquirer checks and stores it and hands back a token.
/// The body of `POST /api/v1/cards`: the card, as in a payment.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct LinkCardInput {
    pub card: CardInput,
}

pub async fn link_card(
    p: &Platform,
    client: &Client,
    who: &Principal,
    input: LinkCardInput,
) -> Result<CardView> {
    let input = input.card;
    let now = p.now();
    let card = check(&input, local_date(now))?;
    let stored = match acquirer(p).store_card(&card).await {
        Ok(c) => c,
        Err(AcquirerError::Refused { code, .. }) => {
            let field = if code.contains("expir") {
                "card.expiry"
            } else if code.contains("cvc") {
                "card.cvc"
            } else {
                "card.number"
            };
            return Err(AppError::field(field, "card-refused-by-bank"));
        }
        Err(e) => return Err(AppError::Internal(e.into())),
    };
    let token = stored.token.clone().ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("acquirer stored a card without a token"))
    })?;
    let row = store::card::Model {
        id: Uuid::now_v7(),
        owner_id: who.user_id,
        token: p.secrets.seal(&token_context(who.user_id), &token),
        mask: stored.mask(),
        brand: stored.brand.clone(),
        expiry_month: stored.expiry_month as i16,
        expiry_year: stored.expiry_year as i16,
        created_at: now,
        removed_at: None,
    };
    let txn = p.db.begin().await?;
    store::insert_card(&*txn, row.clone()).await?;
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "card.link",
        ("card", row.id.to_string()),
        json!({ "mask": row.mask }),
    )
    .await?;
    Ok(view(row))
}

pub async fn remove_card(p: &Platform, client: &Client, who: &Principal, id: Uuid) -> Result<()> {
    let now = p.now();
    let txn = p.db.begin().await?;
    if !store::remove_card(&*txn, who.user_id, id, now).await? {
        return Err(AppError::NotFound);
    }
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "card.remove",
        ("card", id.to_string()),
        json!({}),
    )
    .await?;
    Ok(())
}
