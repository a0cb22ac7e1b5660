//! «Начисления»: what the person owes, found by their ИНН and СНИЛС, and any
//! charge by its УИН.

use super::money;
use crate::{service, service::ChargeView, service::PayerDocumentInput};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sep_identity::visit::Member;
use sep_identity::visit::Visit;
use sep_kernel::FieldError;
use sep_kernel::i18n::Lang;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::CheckedForm;
use sep_web::{Chrome, render};
use serde::Deserialize;
use uuid::Uuid;

pub struct ChargeLine {
    pub uin: String,
    pub kind: String,
    pub purpose: String,
    pub payee: String,
    pub amount: String,
    /// The full amount, when a discount makes today's smaller.
    pub full_amount: Option<String>,
    pub discount: Option<String>,
    pub due: Option<String>,
    pub status: String,
    pub status_label: String,
    pub payable: bool,
}

pub fn line(lang: Lang, c: &ChargeView) -> ChargeLine {
    let discounted = c.amount_due_kopecks < c.amount_kopecks;
    ChargeLine {
        uin: c.uin.clone(),
        kind: lang.t(&format!("charge-kind-{}", c.kind)),
        purpose: c.purpose.clone(),
        payee: c.payee_name.clone(),
        amount: money(c.amount_due_kopecks),
        full_amount: discounted.then(|| money(c.amount_kopecks)),
        discount: match (discounted, c.discount_percent, c.discount_until) {
            (true, Some(pct), Some(until)) => Some(lang.t_args(
                "charge-discount",
                &[
                    ("percent", pct.to_string().into()),
                    ("until", until.format("%d.%m.%Y").to_string().into()),
                ],
            )),
            _ => None,
        },
        due: c.due_on.map(|d| d.format("%d.%m.%Y").to_string()),
        status: c.status.clone(),
        status_label: lang.t(&format!("charge-status-{}", c.status)),
        payable: c.status == "unpaid",
    }
}

#[derive(Template)]
#[template(path = "payments/charges.html")]
struct ChargesPage {
    chrome: Chrome,
    unpaid: Vec<ChargeLine>,
    settled: Vec<ChargeLine>,
    found: Option<ChargeLine>,
    uin: String,
    uin_error: Option<String>,
    /// (id, kind label, number)
    documents: Vec<(String, String, String)>,
    document_kind: String,
    document_number: String,
    document_error: Option<String>,
}

/// What the page shows besides the lists: a charge found, the search's and
/// the document form's state.
#[derive(Default)]
struct Shown {
    found: Option<ChargeLine>,
    uin: String,
    uin_error: Option<String>,
    document: PayerDocumentInput,
    document_error: Option<String>,
}

pub async fn list(Member(v, _): Member) -> Result<Response> {
    page(v, Shown::default(), StatusCode::OK).await
}

/// The page; a visitor who is not logged in sees only the search by УИН.
async fn page(v: Visit, shown: Shown, status: StatusCode) -> Result<Response> {
    let lang = v.lang();
    let (mine, documents) = match &v.user.0 {
        Some(who) => (
            service::my_charges(&v.p, who).await?,
            service::payer_documents(&v.p, who).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let (unpaid, settled): (Vec<_>, Vec<_>) = mine
        .iter()
        .map(|c| line(lang, c))
        .partition(|c| c.status == "unpaid" || c.status == "processing");
    Ok((
        status,
        render(&ChargesPage {
            chrome: v.chrome(),
            unpaid,
            settled,
            found: shown.found,
            uin: shown.uin,
            uin_error: shown.uin_error,
            documents: documents
                .into_iter()
                .map(|d| {
                    (
                        d.id.to_string(),
                        lang.t(&format!("payer-document-{}", d.kind)),
                        d.number,
                    )
                })
                .collect(),
            document_kind: shown.document.kind,
            document_number: shown.document.number,
            document_error: shown.document_error,
        }),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FindQuery {
    uin: String,
}

/// A charge by УИН (anyone may look one up, as on the API).
pub async fn find(v: Visit, Query(q): Query<FindQuery>) -> Result<Response> {
    let lang = v.lang();
    let uin = q.uin.trim().to_string();
    match service::charge(&v.p, &uin).await {
        Ok(c) => {
            let found = Some(line(lang, &c));
            let shown = Shown {
                found,
                uin,
                ..Shown::default()
            };
            page(v, shown, StatusCode::OK).await
        }
        Err(AppError::Invalid(errors)) => {
            let uin_error = errors.first().map(|e| lang.field_rule(e));
            let shown = Shown {
                uin,
                uin_error,
                ..Shown::default()
            };
            page(v, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::NotFound) => {
            let uin_error =
                Some(lang.field_rule(&FieldError::new("uin", sep_kernel::Rule("charge-unknown"))));
            let shown = Shown {
                uin,
                uin_error,
                ..Shown::default()
            };
            page(v, shown, StatusCode::NOT_FOUND).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DocumentForm {
    csrf: String,
    kind: String,
    number: String,
}

/// Adds a driver licence or СТС to search fines by.
pub async fn add_document(
    Member(v, who): Member,
    CheckedForm(form): CheckedForm<DocumentForm>,
) -> Result<Response> {
    let input = PayerDocumentInput {
        kind: form.kind.clone(),
        number: form.number.clone(),
    };
    match service::add_payer_document(&v.p, &v.client, &who, input).await {
        Ok(_) => Ok(Redirect::to("/charges").into_response()),
        Err(AppError::Invalid(errors)) | Err(AppError::Conflict(errors)) => {
            let shown = Shown {
                document: PayerDocumentInput {
                    kind: form.kind,
                    number: form.number,
                },
                document_error: errors.first().map(|e| v.lang().field_rule(e)),
                ..Shown::default()
            };
            page(v, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

pub async fn remove_document(
    Path(id): Path<Uuid>,
    Member(v, who): Member,
    _: CheckedForm<sep_web::csrf::CsrfForm>,
) -> Result<Response> {
    service::remove_payer_document(&v.p, &v.client, &who, id).await?;
    Ok(Redirect::to("/charges").into_response())
}
