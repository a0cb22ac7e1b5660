//! The acquirer adapter: СЭП's side of the acquirer's HTTP protocol (see
//! `sep_peers::acquirer` for the other side). Only this file knows its wire
//! format; services see `AcquirerPayment` and `AcquirerError`.

pub mod sandbox;

use crate::model::Card;
use hmac::{KeyInit, Mac};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;
use subtle::ConstantTimeEq;
use uuid::Uuid;

/// The header carrying the hex HMAC-SHA256 of a callback's body.
pub const SIGNATURE_HEADER: &str = "x-acquirer-signature";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcquirerStatus {
    WaitingForConfirmation,
    Processing,
    Succeeded,
    Canceled,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AcquirerCard {
    pub first6: String,
    pub last4: String,
    pub brand: String,
    pub expiry_month: u32,
    pub expiry_year: u32,
    pub token: Option<String>,
}

impl AcquirerCard {
    pub fn mask(&self) -> String {
        format!("{} •••• {}", self.brand, self.last4)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AcquirerPayment {
    pub id: String,
    pub order_id: String,
    pub status: AcquirerStatus,
    pub amount_kopecks: i64,
    pub cancel_reason: Option<String>,
    pub card: Option<AcquirerCard>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AcquirerRefund {
    pub id: String,
    pub payment_id: String,
    pub amount_kopecks: i64,
    pub status: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AcquirerError {
    /// The acquirer answered and said no; `code` is its error code.
    #[error("acquirer refused: {code} ({status})")]
    Refused {
        status: u16,
        code: String,
        body: Value,
    },
    /// No answer (or no answer in time): the outcome is unknown.
    #[error("acquirer unreachable: {0}")]
    Unreachable(String),
}

/// How the payer pays, as the acquirer is told.
pub enum Instrument<'a> {
    Card(&'a Card),
    Token(&'a str),
    Sbp,
    Wallet,
}

#[derive(Clone)]
pub struct Acquirer {
    base: String,
    shop_id: String,
    secret: String,
    callback_url: String,
    http: reqwest::Client,
}

impl Acquirer {
    pub fn new(
        base: &str,
        shop_id: &str,
        secret: &str,
        callback_url: &str,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            base: base.trim_end_matches('/').to_string(),
            shop_id: shop_id.to_string(),
            secret: secret.to_string(),
            callback_url: callback_url.to_string(),
            http: reqwest::Client::builder().timeout(timeout).build()?,
        })
    }

    /// Whether `signature` is the acquirer's HMAC of `body`.
    pub fn verify(&self, body: &[u8], signature: &str) -> bool {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.secret.as_bytes())
            .expect("any key length");
        mac.update(body);
        let expected = hex::encode(mac.finalize().into_bytes());
        bool::from(expected.as_bytes().ct_eq(signature.trim().as_bytes()))
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, AcquirerError> {
        let answer = req
            .basic_auth(&self.shop_id, Some(&self.secret))
            .send()
            .await
            .map_err(|e| AcquirerError::Unreachable(e.to_string()))?;
        let status = answer.status();
        let body: Value = answer
            .json()
            .await
            .map_err(|e| AcquirerError::Unreachable(e.to_string()))?;
        if status.is_success() {
            serde_json::from_value(body).map_err(|e| AcquirerError::Unreachable(e.to_string()))
        } else if status.is_server_error() {
            Err(AcquirerError::Unreachable(format!("{status}: {body}")))
        } else {
            Err(AcquirerError::Refused {
                status: status.as_u16(),
                code: body["error"].as_str().unwrap_or("unknown").to_string(),
                body,
            })
        }
    }

    /// Creates the acquirer's payment for an intent. The intent id is both
    /// the order id and the idempotence key, so a retry never makes a second.
    pub async fn create(
        &self,
        intent: Uuid,
        amount_kopecks: i64,
        description: &str,
        instrument: Instrument<'_>,
        phone: &str,
        save_card: bool,
    ) -> Result<AcquirerPayment, AcquirerError> {
        let method = match instrument {
            Instrument::Card(c) => json!({
                "type": "card", "number": c.number.digits(),
                "expiry_month": c.expiry_month, "expiry_year": c.expiry_year, "cvc": c.cvc,
            }),
            Instrument::Token(t) => json!({ "type": "card_token", "token": t }),
            Instrument::Sbp => json!({ "type": "sbp" }),
            Instrument::Wallet => json!({ "type": "wallet" }),
        };
        let body = json!({
            "amount_kopecks": amount_kopecks,
            "order_id": intent.to_string(),
            "description": description,
            "method": method,
            "phone": phone,
            "callback_url": self.callback_url,
            "save_card": save_card,
        });
        self.call(
            self.http
                .post(format!("{}/v1/payments", self.base))
                .header("idempotence-key", intent.to_string())
                .json(&body),
        )
        .await
    }

    pub async fn confirm(&self, id: &str, code: &str) -> Result<AcquirerPayment, AcquirerError> {
        self.call(
            self.http
                .post(format!("{}/v1/payments/{id}/confirm", self.base))
                .json(&json!({ "code": code })),
        )
        .await
    }

    pub async fn cancel(&self, id: &str) -> Result<AcquirerPayment, AcquirerError> {
        self.call(
            self.http
                .post(format!("{}/v1/payments/{id}/cancel", self.base))
                .json(&json!({})),
        )
        .await
    }

    pub async fn payment(&self, id: &str) -> Result<AcquirerPayment, AcquirerError> {
        self.call(self.http.get(format!("{}/v1/payments/{id}", self.base)))
            .await
    }

    /// The acquirer's payments for an intent (when its id was never learned).
    pub async fn payments_of(&self, intent: Uuid) -> Result<Vec<AcquirerPayment>, AcquirerError> {
        #[derive(Deserialize)]
        struct Items {
            items: Vec<AcquirerPayment>,
        }
        let found: Items = self
            .call(
                self.http
                    .get(format!("{}/v1/payments", self.base))
                    .query(&[("order_id", intent.to_string())]),
            )
            .await?;
        Ok(found.items)
    }

    pub async fn refund(
        &self,
        refund: Uuid,
        payment_id: &str,
        amount_kopecks: i64,
    ) -> Result<AcquirerRefund, AcquirerError> {
        self.call(
            self.http
                .post(format!("{}/v1/refunds", self.base))
                .header("idempotence-key", refund.to_string())
                .json(&json!({ "payment_id": payment_id, "amount_kopecks": amount_kopecks })),
        )
        .await
    }

    /// Stores a card at the acquirer; only the token and what the card shows come back.
    pub async fn store_card(&self, card: &Card) -> Result<AcquirerCard, AcquirerError> {
        self.call(
            self.http
                .post(format!("{}/v1/cards", self.base))
                .json(&json!({
                    "number": card.number.digits(),
                    "expiry_month": card.expiry_month,
                    "expiry_year": card.expiry_year,
                    "cvc": card.cvc,
                })),
        )
        .await
    }
}
