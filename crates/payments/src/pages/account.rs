//! The personal account (balance, top-up, history with filters, statement
//! downloads, refund) and linked cards.

use super::money;
use crate::model::CardInput;
use crate::model::statement::kind_label;
use crate::{service, service::HistoryQuery, service::LinkCardInput, service::RefundInput};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sep_identity::visit::Member;
use sep_kernel::{FieldError, Kopecks};
use sep_platform::clock::show;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::CheckedForm;
use sep_web::{Chrome, FieldView, field_views, render};
use serde::Deserialize;
use uuid::Uuid;

pub struct Movement {
    pub at: String,
    pub what: String,
    pub amount: String,
    pub incoming: bool,
}

#[derive(Template)]
#[template(path = "payments/account.html")]
struct AccountPage {
    chrome: Chrome,
    balance: String,
    opening: String,
    closing: String,
    movements: Vec<Movement>,
    from: String,
    to: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    /// The filters as a query, for the statement links.
    period: String,
    filter_error: Option<String>,
    refund_error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AccountQuery {
    from: String,
    to: String,
    kind: String,
    refunded: Option<String>,
}

async fn account_page(
    Member(v, who): &Member,
    q: &AccountQuery,
    refund_error: Option<String>,
    status: StatusCode,
) -> Result<Response> {
    let lang = v.lang();
    let date = |s: &str, field: &'static str| {
        if s.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| FieldError::new(field, sep_kernel::Rule("date-format")))
    };
    let mut filter_error = None;
    let query = match (date(&q.from, "from"), date(&q.to, "to")) {
        (Ok(from), Ok(to)) => HistoryQuery {
            from,
            to,
            kind: (!q.kind.is_empty()).then(|| q.kind.clone()),
        },
        (Err(e), _) | (_, Err(e)) => {
            filter_error = Some(lang.field_error(&e));
            HistoryQuery::default()
        }
    };
    let history = match service::history(&v.p, who, &query).await {
        Ok(h) => h,
        Err(AppError::Invalid(errors)) => {
            filter_error = errors.first().map(|e| lang.field_error(e));
            service::history(&v.p, who, &HistoryQuery::default()).await?
        }
        Err(e) => return Err(e),
    };
    let balance = service::account(&v.p, who).await?.balance_kopecks;
    let period = form_urlencoded::Serializer::new(String::new())
        .append_pair("from", &q.from)
        .append_pair("to", &q.to)
        .append_pair("kind", &q.kind)
        .finish();
    Ok((
        status,
        render(&AccountPage {
            chrome: v.chrome(),
            balance: money(balance),
            opening: money(history.opening_kopecks),
            closing: money(history.closing_kopecks),
            movements: history
                .lines
                .iter()
                .rev()
                .map(|l| Movement {
                    at: show(l.at),
                    what: kind_label(&l.kind).to_string(),
                    amount: money(l.amount_kopecks),
                    incoming: l.amount_kopecks > 0,
                })
                .collect(),
            from: q.from.clone(),
            to: q.to.clone(),
            kind: q.kind.clone(),
            kinds: ["top_up", "payment", "refund", "refund_reversal"]
                .into_iter()
                .map(|k| (k, kind_label(k)))
                .collect(),
            period,
            filter_error,
            refund_error,
            notice: q.refunded.as_ref().map(|_| lang.t("notice-refund-started")),
        }),
    )
        .into_response())
}

pub async fn show_account(m: Member, Query(q): Query<AccountQuery>) -> Result<Response> {
    account_page(&m, &q, None, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RefundForm {
    csrf: String,
    amount: String,
}

pub async fn refund(m: Member, CheckedForm(form): CheckedForm<RefundForm>) -> Result<Response> {
    let Member(v, who) = &m;
    let lang = v.lang();
    let refused = |e: &FieldError| Some(lang.field_rule(e));
    let amount = match Kopecks::parse_roubles(&form.amount) {
        Ok(k) => k,
        Err(r) => {
            let e = FieldError::new("amount", r);
            return account_page(
                &m,
                &AccountQuery::default(),
                refused(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let input = RefundInput {
        amount_kopecks: amount.0,
    };
    match service::refund(&v.p, &v.client, who, input).await {
        Ok(_) => Ok(Redirect::to("/account?refunded=1").into_response()),
        Err(AppError::Invalid(errors)) | Err(AppError::Conflict(errors)) => {
            let message = errors.first().and_then(refused);
            account_page(
                &m,
                &AccountQuery::default(),
                message,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e @ AppError::Refused { .. }) => {
            let message = e.refusal_message(lang);
            account_page(&m, &AccountQuery::default(), message, e.status()).await
        }
        Err(e) => Err(e),
    }
}

pub struct CardLine {
    pub id: String,
    pub mask: String,
    pub expiry: String,
}

#[derive(Template)]
#[template(path = "payments/cards.html")]
struct CardsPage {
    chrome: Chrome,
    cards: Vec<CardLine>,
    fields: Vec<FieldView>,
    form_errors: Vec<String>,
}

const CARD_FIELDS: &[sep_web::FieldSpec] = &[
    ("card.number", "text", "cc-number", true),
    ("card.expiry", "text", "cc-exp", true),
    ("card.cvc", "password", "cc-csc", true),
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CardForm {
    csrf: String,
    #[serde(rename = "card.number")]
    number: String,
    #[serde(rename = "card.expiry")]
    expiry: String,
    #[serde(rename = "card.cvc")]
    cvc: String,
}

async fn cards_page(
    Member(v, who): &Member,
    form: &CardForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response> {
    let lang = v.lang();
    let cards = service::my_cards(&v.p, who)
        .await?
        .into_iter()
        .map(|c| CardLine {
            id: c.id.to_string(),
            mask: c.mask,
            expiry: format!("{:02}/{:02}", c.expiry_month, c.expiry_year % 100),
        })
        .collect();
    let value = |name: &str| match name {
        "card.number" => form.number.clone(),
        "card.expiry" => form.expiry.clone(),
        _ => String::new(),
    };
    Ok((
        status,
        render(&CardsPage {
            chrome: v.chrome(),
            cards,
            fields: field_views(lang, CARD_FIELDS, value, errors),
            form_errors: sep_web::form_level_errors(lang, CARD_FIELDS, errors),
        }),
    )
        .into_response())
}

pub async fn cards(m: Member) -> Result<Response> {
    cards_page(&m, &CardForm::default(), &[], StatusCode::OK).await
}

pub async fn link(m: Member, CheckedForm(form): CheckedForm<CardForm>) -> Result<Response> {
    let Member(v, who) = &m;
    let input = LinkCardInput {
        card: CardInput {
            number: form.number.clone(),
            expiry: form.expiry.clone(),
            cvc: form.cvc.clone(),
        },
    };
    match service::link_card(&v.p, &v.client, who, input).await {
        Ok(_) => Ok(Redirect::to("/cards").into_response()),
        Err(AppError::Invalid(errors)) => {
            cards_page(&m, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Conflict(errors)) => {
            cards_page(&m, &form, &errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e),
    }
}

pub async fn unlink(
    Path(id): Path<Uuid>,
    Member(v, who): Member,
    _: CheckedForm<sep_web::csrf::CsrfForm>,
) -> Result<Response> {
    service::remove_card(&v.p, &v.client, &who, id).await?;
    Ok(Redirect::to("/cards").into_response())
}
