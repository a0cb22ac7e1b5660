//! The acquirer's HTTP API (see the module documentation for the shape).

use super::Sandbox;
use super::book::{Book, Callback, CardView, Payment, Refund, Status, StoredCard};
use super::cards::{self, Behaviour};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use chrono::{Datelike, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The header carrying the hex HMAC-SHA256 of a callback's body.
pub const SIGNATURE_HEADER: &str = "x-acquirer-signature";
const MAX_AMOUNT_KOPECKS: i64 = 1_000_000_000;
const CODE_ATTEMPTS: u8 = 3;

pub fn router(s: Sandbox) -> Router {
    Router::new()
        .route("/v1/payments", post(create).get(find))
        .route("/v1/payments/{id}", get(one))
        .route("/v1/payments/{id}/confirm", post(confirm))
        .route("/v1/payments/{id}/cancel", post(cancel))
        .route("/v1/refunds", post(refund))
        .route("/v1/cards", post(store_card))
        .route("/v1/sandbox/payments/{id}/resend", post(resend))
        .route("/v1/sandbox/callbacks", get(callbacks))
        .layer(middleware::from_fn_with_state(s.clone(), authenticate))
        .with_state(s)
}

/// A refusal in the acquirer's own error format.
struct Refusal(StatusCode, &'static str, Value);

impl Refusal {
    fn new(status: StatusCode, code: &'static str) -> Self {
        Self(status, code, json!({}))
    }
    fn invalid(code: &'static str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code)
    }
}

impl From<anyhow::Error> for Refusal {
    fn from(e: anyhow::Error) -> Self {
        tracing::error!(error = %e, "acquirer book not saved");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut body = self.2;
        body["error"] = json!(self.1);
        (self.0, Json(body)).into_response()
    }
}

type Answer = Result<Json<Value>, Refusal>;

async fn authenticate(State(s): State<Sandbox>, req: Request, next: Next) -> Response {
    let expected = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", s.0.config.shop_id, s.0.config.secret));
    let given = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .unwrap_or("");
    if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        next.run(req).await
    } else {
        Refusal::new(StatusCode::UNAUTHORIZED, "unauthorized").into_response()
    }
}

pub(super) fn view(p: &Payment) -> Value {
    let mut v = json!({
        "id": p.id,
        "order_id": p.order_id,
        "status": p.status.as_str(),
        "amount_kopecks": p.amount_kopecks,
        "description": p.description,
        "method": p.method,
        "card": p.card,
        "cancel_reason": p.cancel_reason,
        "created_at": p.created_at,
        "confirmed_at": p.confirmed_at,
        "finished_at": p.finished_at,
        "refunded_kopecks": p.refunded_kopecks,
    });
    if p.status == Status::WaitingForConfirmation {
        let tail: String = p
            .phone
            .chars()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        v["confirmation"] = json!({ "type": "sms_code", "phone": format!("•••••••••{tail}"), "attempts_left": p.attempts_left });
    }
    v
}

fn refund_view(r: &Refund) -> Value {
    json!({
        "id": r.id, "payment_id": r.payment_id, "amount_kopecks": r.amount_kopecks,
        "status": r.status, "created_at": r.created_at,
    })
}

/// Queues the callback an event owes the merchant.
pub(super) fn owe(book: &mut Book, url: Option<&str>, subject: &str, event: &str, object: Value) {
    let Some(url) = url else { return };
    book.callbacks.push(Callback {
        id: format!("cb_{}", uuid::Uuid::now_v7().simple()),
        subject: subject.to_string(),
        event: event.to_string(),
        url: url.to_string(),
        body: json!({ "event": event, "object": object }).to_string(),
        attempts: 0,
        next_at: Utc::now(),
        delivered_at: None,
        last_status: None,
    });
}

/// Ends a payment without money moving, telling the merchant.
pub(super) fn cancel_payment(book: &mut Book, id: &str, reason: &str) {
    let Some(p) = book.payments.get_mut(id) else {
        return;
    };
    p.status = Status::Canceled;
    p.cancel_reason = Some(reason.to_string());
    p.finished_at = Some(Utc::now());
    let (url, object) = (p.callback_url.clone(), view(p));
    owe(book, url.as_deref(), id, "payment.canceled", object);
}

fn idempotence_key(headers: &HeaderMap) -> Result<String, Refusal> {
    headers
        .get("idempotence-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty() && k.len() <= 128)
        .map(str::to_string)
        .ok_or(Refusal::new(
            StatusCode::BAD_REQUEST,
            "idempotence_key_required",
        ))
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Method {
    Card {
        number: String,
        expiry_month: u32,
        expiry_year: u32,
        cvc: String,
    },
    CardToken {
        token: String,
    },
    Sbp,
    Wallet,
}

#[derive(Debug, Serialize, Deserialize)]
struct CreatePayment {
    amount_kopecks: i64,
    order_id: String,
    #[serde(default)]
    description: String,
    method: Method,
    phone: String,
    callback_url: Option<String>,
    #[serde(default)]
    save_card: bool,
}

/// Checks a card as the issuer would and says how it will behave.
fn check_card(number: &str, month: u32, year: u32, cvc: &str) -> Result<StoredCard, Refusal> {
    let digits = cards::digits(number).ok_or(Refusal::invalid("card_number_invalid"))?;
    let year = if year < 100 { year + 2000 } else { year };
    if !(1..=12).contains(&month) {
        return Err(Refusal::invalid("card_expiry_invalid"));
    }
    let today = Utc::now().date_naive();
    if (year, month) < (today.year() as u32, today.month()) {
        return Err(Refusal::invalid("card_expired"));
    }
    if cvc.len() != 3 || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Refusal::invalid("cvc_invalid"));
    }
    let (brand, behaviour) = cards::lookup(&digits).ok_or(Refusal::invalid("card_unknown"))?;
    Ok(StoredCard {
        token: format!("card_{}", uuid::Uuid::new_v4().simple()),
        digits,
        brand: brand.to_string(),
        expiry_month: month,
        expiry_year: year,
        behaviour,
    })
}

fn card_view(c: &StoredCard, with_token: bool) -> CardView {
    CardView {
        first6: c.digits[..6].to_string(),
        last4: c.digits[c.digits.len() - 4..].to_string(),
        brand: c.brand.clone(),
        expiry_month: c.expiry_month,
        expiry_year: c.expiry_year,
        token: with_token.then(|| c.token.clone()),
    }
}

fn roubles(kopecks: i64) -> String {
    let r = (kopecks / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in r.chars().enumerate() {
        if i > 0 && (r.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}\u{a0}₽", kopecks % 100)
}

fn digest(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

async fn create(
    State(s): State<Sandbox>,
    headers: HeaderMap,
    Json(req): Json<CreatePayment>,
) -> Answer {
    let key = idempotence_key(&headers)?;
    let hash = hex::encode(Sha256::digest(
        serde_json::to_vec(&req).expect("serialisable"),
    ));
    if let Some(p) = s.0.book.lock().await.payment_by_key(&key) {
        if p.request_hash != hash {
            return Err(Refusal::new(StatusCode::CONFLICT, "idempotence_key_reused"));
        }
        return Ok(Json(view(p)));
    }
    if req.amount_kopecks <= 0 || req.amount_kopecks > MAX_AMOUNT_KOPECKS {
        return Err(Refusal::invalid("amount_invalid"));
    }
    if req.order_id.trim().is_empty() {
        return Err(Refusal::invalid("order_id_required"));
    }
    if req.phone.chars().filter(char::is_ascii_digit).count() < 10 {
        return Err(Refusal::invalid("phone_invalid"));
    }
    let (method, card, behaviour, stored) = match &req.method {
        Method::Card {
            number,
            expiry_month,
            expiry_year,
            cvc,
        } => {
            let c = check_card(number, *expiry_month, *expiry_year, cvc)?;
            let shown = card_view(&c, req.save_card);
            let b = c.behaviour;
            ("card", Some(shown), b, req.save_card.then_some(c))
        }
        Method::CardToken { token } => {
            let book = s.0.book.lock().await;
            let c = book
                .cards
                .get(token)
                .ok_or(Refusal::invalid("token_unknown"))?;
            ("card", Some(card_view(c, true)), c.behaviour, None)
        }
        Method::Sbp => ("sbp", None, Behaviour::Succeeds, None),
        Method::Wallet => ("wallet", None, Behaviour::Succeeds, None),
    };
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
    let payment = Payment {
        id: format!("pay_{}", uuid::Uuid::now_v7().simple()),
        order_id: req.order_id.clone(),
        idempotence_key: key.clone(),
        request_hash: hash,
        amount_kopecks: req.amount_kopecks,
        description: req.description.clone(),
        method: method.to_string(),
        card,
        behaviour,
        phone: req.phone.clone(),
        status: Status::WaitingForConfirmation,
        cancel_reason: None,
        code_digest: digest(&code),
        attempts_left: CODE_ATTEMPTS,
        callback_url: req.callback_url.clone(),
        created_at: Utc::now(),
        confirmed_at: None,
        settle_at: None,
        finished_at: None,
        refunded_kopecks: 0,
    };
    // Two requests with one key may race here: the first to reach the book wins.
    let kept = s
        .change(|book| {
            if let Some(p) = book.payment_by_key(&key) {
                return (p.clone(), false);
            }
            if let Some(c) = stored {
                book.cards.insert(c.token.clone(), c);
            }
            book.payments.insert(payment.id.clone(), payment.clone());
            (payment, true)
        })
        .await?;
    let (payment, fresh) = kept;
    if !fresh {
        return Ok(Json(view(&payment)));
    }
    let text = format!(
        "Код подтверждения оплаты {}: {code}. Никому не сообщайте его. Эквайер-песочница СЭП",
        roubles(payment.amount_kopecks)
    );
    if let Err(e) = s.0.sms.send(&payment.phone, &text).await {
        tracing::warn!(error = %e, "confirmation code not sent");
        s.change(|book| cancel_payment(book, &payment.id, "sms_unavailable"))
            .await?;
        return Err(Refusal::new(StatusCode::BAD_GATEWAY, "sms_unavailable"));
    }
    Ok(Json(view(&payment)))
}

async fn one(State(s): State<Sandbox>, Path(id): Path<String>) -> Answer {
    let book = s.0.book.lock().await;
    let p = book
        .payments
        .get(&id)
        .ok_or(Refusal::new(StatusCode::NOT_FOUND, "payment_unknown"))?;
    Ok(Json(view(p)))
}

#[derive(Deserialize)]
struct FindQuery {
    order_id: String,
}

async fn find(State(s): State<Sandbox>, Query(q): Query<FindQuery>) -> Answer {
    let book = s.0.book.lock().await;
    let items: Vec<Value> = book
        .payments
        .values()
        .filter(|p| p.order_id == q.order_id)
        .map(view)
        .collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
struct ConfirmRequest {
    code: String,
}

enum Confirmed {
    Processing(Payment),
    Wrong(u8),
    Finished(Payment),
    Unknown,
    Expired,
}

async fn confirm(
    State(s): State<Sandbox>,
    Path(id): Path<String>,
    Json(req): Json<ConfirmRequest>,
) -> Answer {
    let settle_after = s.0.config.settle_after;
    let code_ttl = s.0.config.code_ttl;
    let result = s
        .change(|book| {
            let Some(p) = book.payments.get_mut(&id) else {
                return Confirmed::Unknown;
            };
            if p.status != Status::WaitingForConfirmation {
                return Confirmed::Finished(p.clone());
            }
            let now = Utc::now();
            if now - p.created_at > chrono::Duration::from_std(code_ttl).expect("small") {
                cancel_payment(book, &id, "expired");
                return Confirmed::Expired;
            }
            let right = bool::from(
                digest(req.code.trim())
                    .as_bytes()
                    .ct_eq(p.code_digest.as_bytes()),
            );
            if !right {
                p.attempts_left = p.attempts_left.saturating_sub(1);
                let left = p.attempts_left;
                if left == 0 {
                    cancel_payment(book, &id, "code_attempts_exhausted");
                }
                return Confirmed::Wrong(left);
            }
            p.status = Status::Processing;
            p.confirmed_at = Some(now);
            p.settle_at = Some(now + chrono::Duration::from_std(settle_after).expect("small"));
            Confirmed::Processing(p.clone())
        })
        .await?;
    match result {
        Confirmed::Processing(p) => {
            if p.behaviour == Behaviour::TimesOut {
                tokio::time::sleep(s.0.config.hang_for).await;
            }
            Ok(Json(view(&p)))
        }
        Confirmed::Finished(p) => Err(Refusal(
            StatusCode::CONFLICT,
            "payment_not_waiting",
            json!({ "status": p.status.as_str() }),
        )),
        Confirmed::Wrong(left) => Err(Refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "code_wrong",
            json!({ "attempts_left": left }),
        )),
        Confirmed::Expired => Err(Refusal::invalid("code_expired")),
        Confirmed::Unknown => Err(Refusal::new(StatusCode::NOT_FOUND, "payment_unknown")),
    }
}

async fn cancel(State(s): State<Sandbox>, Path(id): Path<String>) -> Answer {
    let result = s
        .change(|book| {
            let status = book.payments.get(&id).map(|p| p.status);
            if status == Some(Status::WaitingForConfirmation) {
                cancel_payment(book, &id, "canceled_by_merchant");
            }
            book.payments.get(&id).cloned()
        })
        .await?;
    match result {
        None => Err(Refusal::new(StatusCode::NOT_FOUND, "payment_unknown")),
        Some(p) if p.status == Status::Canceled => Ok(Json(view(&p))),
        Some(p) => Err(Refusal(
            StatusCode::CONFLICT,
            "payment_not_cancelable",
            json!({ "status": p.status.as_str() }),
        )),
    }
}

#[derive(Deserialize)]
struct RefundRequest {
    payment_id: String,
    amount_kopecks: i64,
}

async fn refund(
    State(s): State<Sandbox>,
    headers: HeaderMap,
    Json(req): Json<RefundRequest>,
) -> Answer {
    let key = idempotence_key(&headers)?;
    let result = s
        .change(|book| {
            if let Some(r) = book.refund_by_key(&key) {
                return Ok(r.clone());
            }
            let p = book
                .payments
                .get_mut(&req.payment_id)
                .ok_or("payment_unknown")?;
            if p.status != Status::Succeeded {
                return Err("payment_not_succeeded");
            }
            if req.amount_kopecks <= 0 || req.amount_kopecks > p.amount_kopecks - p.refunded_kopecks
            {
                return Err("refund_amount_invalid");
            }
            p.refunded_kopecks += req.amount_kopecks;
            let url = p.callback_url.clone();
            let r = Refund {
                id: format!("ref_{}", uuid::Uuid::now_v7().simple()),
                payment_id: req.payment_id.clone(),
                idempotence_key: key.clone(),
                amount_kopecks: req.amount_kopecks,
                status: "succeeded".into(),
                created_at: Utc::now(),
            };
            book.refunds.insert(r.id.clone(), r.clone());
            owe(
                book,
                url.as_deref(),
                &r.id,
                "refund.succeeded",
                refund_view(&r),
            );
            Ok(r)
        })
        .await?;
    match result {
        Ok(r) => Ok(Json(refund_view(&r))),
        Err("payment_unknown") => Err(Refusal::new(StatusCode::NOT_FOUND, "payment_unknown")),
        Err(code) => Err(Refusal::invalid(code)),
    }
}

#[derive(Deserialize)]
struct StoreCard {
    number: String,
    expiry_month: u32,
    expiry_year: u32,
    cvc: String,
}

async fn store_card(State(s): State<Sandbox>, Json(req): Json<StoreCard>) -> Answer {
    let card = check_card(&req.number, req.expiry_month, req.expiry_year, &req.cvc)?;
    let shown = card_view(&card, true);
    s.change(|book| book.cards.insert(card.token.clone(), card))
        .await?;
    Ok(Json(serde_json::to_value(shown).expect("serialisable")))
}

async fn resend(State(s): State<Sandbox>, Path(id): Path<String>) -> Result<StatusCode, Refusal> {
    let again = s
        .change(|book| {
            let last = book
                .callbacks
                .iter()
                .rev()
                .find(|c| c.subject == id)
                .cloned()?;
            book.callbacks.push(Callback {
                id: format!("cb_{}", uuid::Uuid::now_v7().simple()),
                attempts: 0,
                next_at: Utc::now(),
                delivered_at: None,
                last_status: None,
                ..last
            });
            Some(())
        })
        .await?;
    again
        .map(|()| StatusCode::ACCEPTED)
        .ok_or(Refusal::new(StatusCode::NOT_FOUND, "callback_unknown"))
}

async fn callbacks(State(s): State<Sandbox>) -> Answer {
    let book = s.0.book.lock().await;
    let items: Vec<Value> = book
        .callbacks
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "subject": c.subject, "event": c.event, "attempts": c.attempts,
                "delivered_at": c.delivered_at, "last_status": c.last_status,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}
