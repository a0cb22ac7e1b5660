//! «Начисления»: what the person owes, found by their ИНН and СНИЛС, and any
//! charge by its УИН.

use super::money;
use crate::ids::FieldError;
use crate::payments::service::{self, ChargeView};
use crate::platform::error::{AppError, Result};
use crate::platform::i18n::Lang;
use crate::web::{Chrome, Visit, render};
use askama::Template;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

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
}

pub async fn list(v: Visit) -> Result<Response> {
    if let Err(r) = v.require_login("/charges") {
        return Ok(r.into_response());
    }
    page(v, None, String::new(), None).await
}

/// The page; a visitor who is not logged in sees only the search by УИН.
async fn page(
    v: Visit,
    found: Option<ChargeLine>,
    uin: String,
    uin_error: Option<String>,
) -> Result<Response> {
    let lang = v.lang();
    let mine = match &v.user.0 {
        Some(who) => service::my_charges(&v.p, who).await?,
        None => Vec::new(),
    };
    let (unpaid, settled): (Vec<_>, Vec<_>) = mine
        .iter()
        .map(|c| line(lang, c))
        .partition(|c| c.status == "unpaid" || c.status == "processing");
    Ok(render(&ChargesPage {
        chrome: v.chrome(),
        unpaid,
        settled,
        found,
        uin,
        uin_error,
    }))
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
            page(v, found, uin, None).await
        }
        Err(AppError::Invalid(errors)) => {
            let message = errors.first().map(|e| lang.field_rule(e));
            page(v, None, uin, message).await
        }
        Err(AppError::NotFound) => {
            let message =
                lang.field_rule(&FieldError::new("uin", crate::ids::Rule("charge-unknown")));
            page(v, None, uin, Some(message)).await
        }
        Err(e) => Err(e),
    }
}
