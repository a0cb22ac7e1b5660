//! Paying: the form (charges or a top-up; new card, linked card, СБП,
//! wallet or balance), the payment's page with the confirmation code, the
//! history with receipts, and the public check a receipt's QR code opens.

use super::charges::{ChargeLine, line};
use super::money;
use crate::model::receipt::method_label;
use crate::{model::CardInput, model::Method, model::PaymentInput};
use crate::{service, service::PaymentView};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sep_identity::visit::Member;
use sep_identity::visit::Visit;
use sep_kernel::i18n::Lang;
use sep_kernel::{FieldError, Kopecks};
use sep_platform::clock::show;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::CheckedForm;
use sep_web::{Chrome, FieldView, field_views, render};
use uuid::Uuid;

type Pairs = Vec<(String, String)>;

fn all<'a>(pairs: &'a Pairs, key: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn one(pairs: &Pairs, key: &str) -> String {
    all(pairs, key)
        .first()
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// A payment method the form offers: value, label, chosen?
pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "payments/pay.html")]
struct PayPage {
    chrome: Chrome,
    key: String,
    lines: Vec<ChargeLine>,
    uins: Vec<String>,
    top_up: Option<String>,
    top_up_error: Option<String>,
    total: String,
    choices: Vec<Choice>,
    card_fields: Vec<FieldView>,
    password_fields: Vec<FieldView>,
    save_card: bool,
    method_error: Option<String>,
    form_errors: Vec<String>,
}

/// Paying from the balance asks for the password again.
const PASSWORD_FIELD: &[sep_web::FieldSpec] =
    &[("password", "password", "current-password", false)];

const CARD_FIELDS: &[sep_web::FieldSpec] = &[
    ("card.number", "text", "cc-number", false),
    ("card.expiry", "text", "cc-exp", false),
    ("card.cvc", "password", "cc-csc", false),
];

/// The form, from the query (`uin` repeated, or `top_up` in roubles) or
/// from a refused submission.
async fn pay_page(
    Member(v, who): &Member,
    pairs: &Pairs,
    errors: &[FieldError],
    refusal: Option<String>,
    status: StatusCode,
) -> Result<Response> {
    let lang = v.lang();
    let uins: Vec<String> = all(pairs, "uin").into_iter().map(str::to_string).collect();
    let mut lines = Vec::new();
    let mut total = 0;
    for u in &uins {
        if let Ok(c) = service::charge(&v.p, u).await {
            total += c.amount_due_kopecks;
            lines.push(line(lang, &c));
        }
    }
    let top_up = (uins.is_empty()).then(|| one(pairs, "top_up"));
    if let Some(t) = &top_up {
        total = Kopecks::parse_roubles(t).map(|k| k.0).unwrap_or(0);
    }
    let chosen = one(pairs, "method");
    let chosen = if chosen.is_empty() {
        "card".to_string()
    } else {
        chosen
    };
    let mut choices = vec![Choice {
        value: "card".into(),
        label: lang.t("method-new-card"),
        chosen: chosen == "card",
    }];
    for c in service::my_cards(&v.p, who).await? {
        let value = format!("saved:{}", c.id);
        choices.push(Choice {
            label: lang.t_args("method-saved-card", &[("card", c.mask.clone().into())]),
            chosen: chosen == value,
            value,
        });
    }
    for m in ["sbp", "wallet"] {
        choices.push(Choice {
            value: m.into(),
            label: lang.t(&format!("method-{m}")),
            chosen: chosen == m,
        });
    }
    if top_up.is_none() {
        let balance = service::account(&v.p, who).await?.balance_kopecks;
        choices.push(Choice {
            value: "balance".into(),
            label: lang.t_args("method-balance", &[("balance", money(balance).into())]),
            chosen: chosen == "balance",
        });
    }
    let shown = |name: &str| {
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| lang.field_rule(e))
    };
    let known = |f: &str| {
        f.starts_with("card.") || ["top_up_kopecks", "method", "card_id", "password"].contains(&f)
    };
    Ok((
        status,
        render(&PayPage {
            chrome: v.chrome(),
            key: {
                let k = one(pairs, "key");
                if k.is_empty() {
                    Uuid::new_v4().to_string()
                } else {
                    k
                }
            },
            total: money(total),
            lines,
            uins,
            top_up_error: shown("top_up_kopecks"),
            top_up,
            choices,
            card_fields: field_views(
                lang,
                CARD_FIELDS,
                |n| {
                    if n == "card.cvc" {
                        String::new()
                    } else {
                        one(pairs, n)
                    }
                },
                errors,
            ),
            password_fields: field_views(lang, PASSWORD_FIELD, |_| String::new(), errors),
            save_card: one(pairs, "save_card") == "on",
            method_error: shown("method").or_else(|| shown("card_id")),
            form_errors: errors
                .iter()
                .filter(|e| !known(&e.field))
                .map(|e| lang.field_error(e))
                .chain(refusal)
                .collect(),
        }),
    )
        .into_response())
}

pub async fn form(m: Member, Query(pairs): Query<Pairs>) -> Result<Response> {
    pay_page(&m, &pairs, &[], None, StatusCode::OK).await
}

fn input_of(pairs: &Pairs) -> std::result::Result<PaymentInput, Vec<FieldError>> {
    let method = one(pairs, "method");
    let (method, card_id) = match method.strip_prefix("saved:") {
        Some(id) => (Some(Method::Card), id.parse().ok()),
        None => (
            serde_json::from_value(serde_json::Value::String(method.clone())).ok(),
            None,
        ),
    };
    let top_up = one(pairs, "top_up");
    let uins: Vec<String> = all(pairs, "uin").into_iter().map(str::to_string).collect();
    let top_up_kopecks = if uins.is_empty() {
        Some(
            Kopecks::parse_roubles(&top_up)
                .map_err(|r| vec![FieldError::new("top_up_kopecks", r)])?
                .0,
        )
    } else {
        None
    };
    let new_card = method == Some(Method::Card) && card_id.is_none();
    Ok(PaymentInput {
        charges: uins,
        top_up_kopecks,
        method,
        card: new_card.then(|| CardInput {
            number: one(pairs, "card.number"),
            expiry: one(pairs, "card.expiry"),
            cvc: one(pairs, "card.cvc"),
        }),
        card_id,
        save_card: new_card && one(pairs, "save_card") == "on",
        password: Some(one(pairs, "password")).filter(|p| !p.is_empty()),
    })
}

pub async fn start(m: Member, CheckedForm(pairs): CheckedForm<Pairs>) -> Result<Response> {
    let Member(v, who) = &m;
    let input = match input_of(&pairs) {
        Ok(i) => i,
        Err(errors) => {
            return pay_page(&m, &pairs, &errors, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match service::pay(&v.p, &v.client, who, &one(&pairs, "key"), input).await {
        Ok(done) => Ok(Redirect::to(&format!("/payments/{}", done.payment.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            pay_page(&m, &pairs, &errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Conflict(errors)) => {
            pay_page(&m, &pairs, &errors, None, StatusCode::CONFLICT).await
        }
        Err(e @ AppError::Refused { .. }) => {
            let refusal = e.refusal_message(v.lang());
            pay_page(&m, &pairs, &[], refusal, e.status()).await
        }
        Err(e) => Err(e),
    }
}

pub struct PaymentLine {
    pub id: String,
    pub state: String,
    pub state_label: String,
    pub amount: String,
    pub what: String,
    pub method: String,
    pub created: String,
    pub settled: Option<String>,
    pub operation_number: Option<String>,
    pub failure: Option<String>,
}

fn failure_label(lang: Lang, code: &str) -> String {
    let key = format!("payment-failure-{code}");
    let text = lang.t(&key);
    if text == key {
        lang.t("payment-failure-other")
    } else {
        text
    }
}

fn payment_line(lang: Lang, p: &PaymentView) -> PaymentLine {
    PaymentLine {
        id: p.id.to_string(),
        state: p.state.clone(),
        state_label: lang.t(&format!("payment-state-{}", p.state)),
        amount: money(p.amount_kopecks),
        what: if p.purpose == "top_up" {
            lang.t("payment-purpose-top-up")
        } else {
            p.charges
                .iter()
                .map(|c| format!("{} {}", lang.t("field-uin"), c.uin))
                .collect::<Vec<_>>()
                .join(", ")
        },
        method: method_label(&p.method, p.card.as_deref()),
        created: show(p.created_at),
        settled: p.settled_at.map(show),
        operation_number: p.operation_number.clone(),
        failure: p.failure.as_deref().map(|f| failure_label(lang, f)),
    }
}

#[derive(Template)]
#[template(path = "payments/payment.html")]
struct PaymentPage {
    chrome: Chrome,
    p: PaymentLine,
    code_error: Option<String>,
    refusal: Option<String>,
}

async fn payment_page(
    Member(v, who): &Member,
    id: Uuid,
    code_error: Option<String>,
    refusal: Option<String>,
    status: StatusCode,
) -> Result<Response> {
    let payment = service::payment(&v.p, who, id).await?;
    Ok((
        status,
        render(&PaymentPage {
            chrome: v.chrome(),
            p: payment_line(v.lang(), &payment),
            code_error,
            refusal,
        }),
    )
        .into_response())
}

pub async fn show_payment(m: Member, Path(id): Path<Uuid>) -> Result<Response> {
    payment_page(&m, id, None, None, StatusCode::OK).await
}

pub async fn confirm(
    Path(id): Path<Uuid>,
    m: Member,
    CheckedForm(pairs): CheckedForm<Pairs>,
) -> Result<Response> {
    let Member(v, who) = &m;
    match service::confirm(&v.p, who, id, &one(&pairs, "code")).await {
        Ok(_) => Ok(Redirect::to(&format!("/payments/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let message = errors.first().map(|e| v.lang().field_rule(e));
            payment_page(&m, id, message, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e @ AppError::Refused { .. }) => refused(&m, id, e).await,
        Err(e) => Err(e),
    }
}

/// The payment's page with the reason an action was refused (too late to
/// cancel, no longer waiting for a code).
async fn refused(m: &Member, id: Uuid, e: AppError) -> Result<Response> {
    let message = e.refusal_message(m.0.lang());
    payment_page(m, id, None, message, e.status()).await
}

pub async fn cancel(
    Path(id): Path<Uuid>,
    m: Member,
    _: CheckedForm<sep_web::csrf::CsrfForm>,
) -> Result<Response> {
    let Member(v, who) = &m;
    match service::cancel(&v.p, who, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/payments/{id}")).into_response()),
        Err(e @ AppError::Refused { .. }) => refused(&m, id, e).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "payments/history.html")]
struct HistoryPage {
    chrome: Chrome,
    lines: Vec<PaymentLine>,
}

pub async fn history(Member(v, who): Member) -> Result<Response> {
    let lang = v.lang();
    let lines = service::my_payments(&v.p, &who)
        .await?
        .iter()
        .map(|p| payment_line(lang, p))
        .collect();
    Ok(render(&HistoryPage {
        chrome: v.chrome(),
        lines,
    }))
}

#[derive(Template)]
#[template(path = "payments/check.html")]
struct CheckPage {
    chrome: Chrome,
    c: service::ReceiptCheck,
    paid_at: String,
    amount: String,
    refunded: Option<String>,
    method: String,
}

/// The public check of a receipt (what its QR code opens).
pub async fn check(v: Visit, Path((id, code)): Path<(Uuid, String)>) -> Result<Response> {
    let c = service::check_receipt(&v.p, id, &code).await?;
    Ok(render(&CheckPage {
        chrome: v.chrome(),
        paid_at: show(c.paid_at),
        amount: money(c.amount_kopecks),
        refunded: (c.refunded_kopecks > 0).then(|| money(c.refunded_kopecks)),
        method: method_label(&c.method, None),
        c,
    }))
}
