//! The payments API: charges (`/api/v1/charges`), payments
//! (`/api/v1/payments`, with the acquirer's callback) and linked cards
//! (`/api/v1/cards`).

use super::model::{ChargeInput, PaymentInput, Receipt};
use super::service::{
    self, AccountView, CardView, ChargeView, History, HistoryQuery, LinkCardInput,
    PayerDocumentInput, PayerDocumentView, PaymentView, ReceiptCheck, RefundInput, RefundView,
};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use sep_identity::auth::Auth;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::idempotency;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{negotiate::Api, negotiate::Payload, negotiate::file};
use sep_platform::{openapi, openapi::Access::*, openapi::Entry};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

pub fn api() -> Vec<Entry> {
    let t = "payments";
    vec![
        Entry::get(
            t,
            "/api/v1/charges",
            "My unpaid and paid charges, found by my ИНН and СНИЛС",
            Session,
            mine,
        ),
        Entry::post(
            t,
            "/api/v1/charges",
            "Post a charge with its УИН and payee (agency officers, integrators)",
            Session,
            post,
        ),
        Entry::get(
            t,
            "/api/v1/charges/documents",
            "My driver licences and vehicle certificates (СТС) that fines are searched by",
            Session,
            my_documents,
        ),
        Entry::post(
            t,
            "/api/v1/charges/documents",
            "Add a driver licence or СТС (kind: driver_licence | vehicle_certificate, number)",
            Session,
            add_document,
        ),
        Entry::delete(
            t,
            "/api/v1/charges/documents/{id}",
            "Stop searching charges by this document",
            Session,
            remove_document,
        ),
        Entry::get(
            t,
            "/api/v1/charges/{uin}",
            "Look a charge up by УИН: amount due today, payee, status",
            Public,
            one,
        ),
        Entry::post(
            t,
            "/api/v1/charges/{uin}/cancel",
            "Cancel an unpaid charge with a reason (agency officers, integrators)",
            Session,
            cancel,
        ),
        Entry::post(
            t,
            "/api/v1/payments",
            "Pay charges or top up the personal account (Idempotency-Key header required)",
            Session,
            pay,
        ),
        Entry::get(
            t,
            "/api/v1/payments",
            "My payments, newest first",
            Session,
            my_payments,
        ),
        Entry::get(
            t,
            "/api/v1/payments/{id}",
            "One of my payments",
            Session,
            payment,
        ),
        Entry::post(
            t,
            "/api/v1/payments/{id}/confirm",
            "Give the confirmation code the acquirer sent by SMS",
            Session,
            confirm,
        ),
        Entry::post(
            t,
            "/api/v1/payments/{id}/cancel",
            "Give up a payment before confirming it",
            Session,
            cancel_payment,
        )
        .without_body(),
        Entry::get(
            t,
            "/api/v1/payments/{id}/receipt",
            "The receipt (квитанция) of one of my paid payments: operation number, date, charges, payees",
            Session,
            receipt,
        ),
        Entry::get(
            t,
            "/api/v1/payments/{id}/receipt.pdf",
            "The receipt as PDF, with a QR code leading to its public check",
            Session,
            receipt_pdf,
        )
        .heavy(),
        Entry::get(
            t,
            "/api/v1/receipts/{id}/{code}",
            "Check a receipt (the address its QR code holds): genuine or not found, payer masked",
            Public,
            check_receipt,
        ),
        Entry::post(
            t,
            "/api/v1/payments/callback",
            "The acquirer's signed callback (X-Acquirer-Signature: hex HMAC-SHA256 of the body)",
            Public,
            callback,
        )
        .unlimited(),
        Entry::get(
            t,
            "/api/v1/account",
            "My personal account's balance",
            Session,
            account,
        ),
        Entry::get(
            t,
            "/api/v1/account/history",
            "My personal account's movements (from, to: dates; kind), with opening and closing balances",
            Session,
            history,
        ),
        Entry::get(
            t,
            "/api/v1/account/statement.pdf",
            "My personal account's statement for a period (from, to: dates; this month by default) as PDF",
            Session,
            statement_pdf,
        )
        .heavy(),
        Entry::get(
            t,
            "/api/v1/account/statement.xlsx",
            "The same statement as an XLSX spreadsheet",
            Session,
            statement_xlsx,
        )
        .heavy(),
        Entry::post(
            t,
            "/api/v1/account/refunds",
            "Return money from my personal account to the card it came from",
            Session,
            refund,
        ),
        Entry::get(
            t,
            "/api/v1/cards",
            "My linked cards (brand, last four digits, expiry)",
            Session,
            my_cards,
        ),
        Entry::post(
            t,
            "/api/v1/cards",
            "Link a card: the acquirer keeps it, СЭП keeps a token",
            Session,
            link_card,
        ),
        Entry::delete(
            t,
            "/api/v1/cards/{id}",
            "Unlink a card",
            Session,
            remove_card,
        ),
    ]
}

pub fn routes() -> Router<Platform> {
    openapi::router(api())
}

async fn mine(State(p): State<Platform>, Auth(who): Auth) -> Result<Api<Vec<ChargeView>>> {
    Ok(Api::ok(service::my_charges(&p, &who).await?))
}

async fn post(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<ChargeInput>,
) -> Result<Api<ChargeView>> {
    Ok(Api(
        StatusCode::CREATED,
        service::post_charge(&p, &client, &who, input).await?,
    ))
}

async fn one(State(p): State<Platform>, Path(uin): Path<String>) -> Result<Api<ChargeView>> {
    Ok(Api::ok(service::charge(&p, &uin).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CancelInput {
    reason: String,
}

async fn cancel(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(uin): Path<String>,
    Payload(input): Payload<CancelInput>,
) -> Result<Api<ChargeView>> {
    Ok(Api::ok(
        service::cancel_charge(&p, &client, &who, &uin, &input.reason).await?,
    ))
}

async fn pay(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    headers: HeaderMap,
    Payload(input): Payload<PaymentInput>,
) -> Result<Api<PaymentView>> {
    let key = idempotency::from_headers(&headers)?;
    let done = service::pay(&p, &client, &who, &key, input).await?;
    Ok(Api::created_or_ok(done.created, done.payment))
}

async fn my_payments(State(p): State<Platform>, Auth(who): Auth) -> Result<Api<Vec<PaymentView>>> {
    Ok(Api::ok(service::my_payments(&p, &who).await?))
}

async fn payment(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<PaymentView>> {
    Ok(Api::ok(service::payment(&p, &who, id).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmInput {
    code: String,
}

async fn confirm(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
    Payload(input): Payload<ConfirmInput>,
) -> Result<Api<PaymentView>> {
    Ok(Api::ok(service::confirm(&p, &who, id, &input.code).await?))
}

async fn cancel_payment(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<PaymentView>> {
    Ok(Api::ok(service::cancel(&p, &who, id).await?))
}

/// The body is read as bytes: the signature covers exactly what was sent.
async fn callback(
    State(p): State<Platform>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Api<Value>> {
    let signature = headers
        .get(super::acquirer::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    service::callback(&p, &body, signature).await?;
    Ok(Api::ok(json!({ "acknowledged": true })))
}

async fn receipt(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<Receipt>> {
    Ok(Api::ok(service::receipt(&p, &who, id).await?))
}

async fn receipt_pdf(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    // Ownership first: a stranger learns nothing, not even "not ready".
    service::payment(&p, &who, id).await?;
    let (name, bytes) = service::receipt_pdf(&p, id).await?;
    file(&name, "application/pdf", bytes)
}

async fn check_receipt(
    State(p): State<Platform>,
    Path((id, code)): Path<(Uuid, String)>,
) -> Result<Api<ReceiptCheck>> {
    Ok(Api::ok(service::check_receipt(&p, id, &code).await?))
}

async fn my_documents(
    State(p): State<Platform>,
    Auth(who): Auth,
) -> Result<Api<Vec<PayerDocumentView>>> {
    Ok(Api::ok(service::payer_documents(&p, &who).await?))
}

async fn add_document(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<PayerDocumentInput>,
) -> Result<Api<PayerDocumentView>> {
    Ok(Api(
        StatusCode::CREATED,
        service::add_payer_document(&p, &client, &who, input).await?,
    ))
}

async fn remove_document(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    service::remove_payer_document(&p, &client, &who, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn my_cards(State(p): State<Platform>, Auth(who): Auth) -> Result<Api<Vec<CardView>>> {
    Ok(Api::ok(service::my_cards(&p, &who).await?))
}

async fn link_card(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<LinkCardInput>,
) -> Result<Api<CardView>> {
    Ok(Api(
        StatusCode::CREATED,
        service::link_card(&p, &client, &who, input).await?,
    ))
}

async fn remove_card(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    service::remove_card(&p, &client, &who, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn account(State(p): State<Platform>, Auth(who): Auth) -> Result<Api<AccountView>> {
    Ok(Api::ok(service::account(&p, &who).await?))
}

async fn history(
    State(p): State<Platform>,
    Auth(who): Auth,
    Query(q): Query<HistoryQuery>,
) -> Result<Api<History>> {
    Ok(Api::ok(service::history(&p, &who, &q).await?))
}

async fn statement_pdf(
    State(p): State<Platform>,
    Auth(who): Auth,
    Query(q): Query<HistoryQuery>,
) -> Result<Response> {
    let statement = service::statement(&p, &who, &q).await?;
    let name = format!("{}.pdf", statement.file_stem());
    let bytes = p
        .workers
        .run(sep_platform::workers::Work::Documents, move || {
            statement.pdf()
        })
        .await?;
    file(&name, "application/pdf", bytes)
}

async fn statement_xlsx(
    State(p): State<Platform>,
    Auth(who): Auth,
    Query(q): Query<HistoryQuery>,
) -> Result<Response> {
    let statement = service::statement(&p, &who, &q).await?;
    let name = format!("{}.xlsx", statement.file_stem());
    let bytes = statement.xlsx().map_err(|e| AppError::Internal(e.into()))?;
    file(
        &name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    )
}

async fn refund(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<RefundInput>,
) -> Result<Api<RefundView>> {
    Ok(Api(
        StatusCode::CREATED,
        service::refund(&p, &client, &who, input).await?,
    ))
}
