//! «Мои документы»: the list, ordering, one document.

use crate::model::Kind;
use crate::{
    service, service::DocumentView, service::ListQuery, service::OrderInput, service::PostalInput,
};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sep_identity::model::AssuranceLevel;
use sep_identity::visit::Member;
use sep_identity::visit::Visit;
use sep_kernel::FieldError;
use sep_kernel::i18n::Lang;
use sep_platform::clock;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::CheckedForm;
use sep_web::{Chrome, render};
use serde::Deserialize;
use uuid::Uuid;

/// A document as a line of the list and the head of its own page.
pub struct DocLine {
    pub id: String,
    pub number: String,
    pub title: String,
    pub agency: String,
    pub requested_at: String,
    /// pending, issued, revoked.
    pub state: String,
    pub state_label: String,
    pub issued: bool,
    pub verify_url: String,
    pub revoked_reason: Option<String>,
    pub postal: Option<String>,
}

fn line(lang: Lang, d: &DocumentView) -> DocLine {
    let state = if d.revoked_at.is_some() {
        "revoked"
    } else {
        d.state.as_str()
    };
    DocLine {
        id: d.id.to_string(),
        number: d.number.clone(),
        title: d.title.clone(),
        agency: d.agency.clone(),
        requested_at: clock::show(d.requested_at),
        state: state.into(),
        state_label: lang.t(&format!("document-state-{state}")),
        issued: d.issued(),
        verify_url: d.verify_url.clone(),
        revoked_reason: d.revoked_reason.clone(),
        postal: d
            .postal
            .as_ref()
            .map(|o| lang.t(&format!("postal-state-{}", o.state))),
    }
}

fn kind_label(lang: Lang, code: &str) -> String {
    lang.t(&format!("document-kind-{code}"))
}

#[derive(Template)]
#[template(path = "documents/list.html")]
struct ListPage {
    chrome: Chrome,
    notice: Option<String>,
    docs: Vec<DocLine>,
    kinds: Vec<(String, String)>,
    kind: String,
    from: String,
    to: String,
    revoked: String,
    filter_error: Option<String>,
    /// What the person uploaded with applications: (id, name, date, size).
    uploads: Vec<(String, String, String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListParams {
    kind: String,
    from: String,
    to: String,
    revoked: String,
    ordered: Option<usize>,
}

fn day(s: &str) -> std::result::Result<Option<chrono::NaiveDate>, ()> {
    match s.trim() {
        "" => Ok(None),
        t => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ()),
    }
}

pub async fn list(Member(v, who): Member, Query(q): Query<ListParams>) -> Result<Response> {
    let lang = v.lang();
    let listed = match (day(&q.from), day(&q.to)) {
        (Ok(from), Ok(to)) => {
            let query = ListQuery {
                kind: Some(q.kind.clone()).filter(|k| !k.is_empty()),
                from,
                to,
                revoked: match q.revoked.as_str() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                },
            };
            service::list(&v.p, &who, &query).await
        }
        (Err(()), _) => Err(AppError::field("from", "date-format")),
        (_, Err(())) => Err(AppError::field("to", "date-format")),
    };
    let (docs, filter_error, status) = match listed {
        Ok(docs) => (docs, None, StatusCode::OK),
        Err(AppError::Invalid(errors)) => (
            Vec::new(),
            errors.first().map(|e| lang.field_error(e)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return Err(e),
    };
    let uploads = sep_contracts::applications::applications(&v.p)
        .uploads_of(&v.p, &who)
        .await?
        .into_iter()
        .map(|f| {
            (
                f.id.to_string(),
                f.file_name,
                clock::show(f.created_at),
                format!("{} КБ", (f.size + 1023) / 1024),
            )
        })
        .collect();
    let kinds = Kind::ORDERABLE
        .into_iter()
        .chain([Kind::Decision])
        .map(|k| (k.code().to_string(), kind_label(lang, k.code())))
        .collect();
    Ok((
        status,
        render(&ListPage {
            chrome: v.chrome(),
            notice: q
                .ordered
                .map(|n| lang.t_args("notice-documents-ordered", &[("count", n.into())])),
            docs: docs.iter().map(|d| line(lang, d)).collect(),
            kinds,
            kind: q.kind,
            from: q.from,
            to: q.to,
            revoked: q.revoked,
            filter_error,
            uploads,
        }),
    )
        .into_response())
}

pub struct KindChoice {
    pub code: &'static str,
    pub title: &'static str,
    pub agency: String,
    /// Only for a confirmed account: said next to the choice.
    pub confirmed_only: bool,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "documents/order.html")]
struct OrderPage {
    chrome: Chrome,
    kinds: Vec<KindChoice>,
    errors: Vec<String>,
    /// Some errors are about the profile: the page links to it.
    profile_gaps: bool,
}

async fn order_page(
    v: &Visit,
    checked: &[String],
    errors: Vec<String>,
    profile_gaps: bool,
    status: StatusCode,
) -> Result<Response> {
    let names = sep_contracts::catalog::catalogue(&v.p)
        .agency_names(&v.p)
        .await?;
    let kinds = Kind::ORDERABLE
        .into_iter()
        .map(|k| {
            let agency = k.agency().unwrap_or_default();
            KindChoice {
                code: k.code(),
                title: k.title(),
                agency: names
                    .get(agency)
                    .cloned()
                    .unwrap_or_else(|| agency.to_string()),
                confirmed_only: k.level() == AssuranceLevel::Confirmed,
                checked: checked.iter().any(|c| c == k.code()),
            }
        })
        .collect();
    Ok((
        status,
        render(&OrderPage {
            chrome: v.chrome(),
            kinds,
            errors,
            profile_gaps,
        }),
    )
        .into_response())
}

pub async fn order_form(Member(v, _): Member) -> Result<Response> {
    order_page(&v, &[], Vec::new(), false, StatusCode::OK).await
}

/// `kind` repeats, one per ticked box: read from the raw pairs.
pub async fn order(
    Member(v, who): Member,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Result<Response> {
    let kinds: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "kind")
        .map(|(_, value)| value)
        .collect();
    let lang = v.lang();
    let input = OrderInput {
        kinds: kinds.clone(),
    };
    match service::order(&v.p, &v.client, &who, input).await {
        Ok(done) => Ok(
            Redirect::to(&format!("/documents?ordered={}", done.documents.len())).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let gaps = errors
                .iter()
                .any(|e| e.rule.code() == "needed-for-document");
            let messages = errors.iter().map(|e| lang.field_error(e)).collect();
            order_page(&v, &kinds, messages, gaps, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e @ AppError::Refused { .. }) => {
            let message = e.refusal_message(lang).unwrap_or_default();
            order_page(&v, &kinds, vec![message], false, e.status()).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "documents/show.html")]
struct ShowPage {
    chrome: Chrome,
    notice: Option<String>,
    d: DocLine,
    sha256: String,
    streebog256: String,
    /// The postal form's inputs (named so for the shared `_fields` include).
    fields: Vec<sep_web::FieldView>,
    /// A refusal that belongs to no input (already ordered).
    postal_error: Option<String>,
}

const POSTAL_FIELDS: [sep_web::FieldSpec; 5] = [
    ("recipient", "text", "name", false),
    ("postcode", "text", "postal-code", true),
    ("region_code", "text", "off", true),
    ("delivery_address", "text", "street-address", true),
    ("password", "password", "current-password", true),
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowParams {
    emailed: Option<String>,
    posted: Option<String>,
}

async fn show_page(
    v: &Visit,
    id: Uuid,
    notice: Option<String>,
    postal: Option<PostalInput>,
    postal_errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response> {
    let who = v.user.0.as_ref().ok_or(AppError::NotFound)?;
    let lang = v.lang();
    let d = service::get(&v.p, who, id).await?;
    let postal = match postal {
        Some(p) => p,
        None => {
            // The profile's address, as a start.
            let profile = sep_identity::service::get_profile(&v.p, who, who.user_id).await?;
            PostalInput {
                recipient: profile.full_name.unwrap_or_default(),
                postcode: profile.fields.postcode,
                region_code: profile.fields.region_code,
                delivery_address: profile.fields.address,
                password: String::new(),
            }
        }
    };
    let postal_fields = sep_web::field_views(
        lang,
        &POSTAL_FIELDS,
        |name| match name {
            "recipient" => postal.recipient.clone(),
            "postcode" => postal.postcode.clone(),
            "region_code" => postal.region_code.clone(),
            _ => postal.delivery_address.clone(),
        },
        &postal_errors,
    );
    let postal_error = sep_web::form_level_errors(lang, &POSTAL_FIELDS, &postal_errors)
        .into_iter()
        .next();
    Ok((
        status,
        render(&ShowPage {
            chrome: v.chrome(),
            notice,
            sha256: d.sha256.clone().unwrap_or_default(),
            streebog256: d.streebog256.clone().unwrap_or_default(),
            d: line(lang, &d),
            fields: postal_fields,
            postal_error,
        }),
    )
        .into_response())
}

pub async fn show(
    Path(id): Path<Uuid>,
    Member(v, _): Member,
    Query(q): Query<ShowParams>,
) -> Result<Response> {
    let lang = v.lang();
    let notice = match (q.emailed, q.posted) {
        (Some(to), _) => Some(lang.t_args("notice-document-emailed", &[("to", to.into())])),
        (_, Some(_)) => Some(lang.t("notice-postal-ordered")),
        _ => None,
    };
    show_page(&v, id, notice, None, Vec::new(), StatusCode::OK).await
}

pub async fn email(
    Path(id): Path<Uuid>,
    Member(v, who): Member,
    _: CheckedForm<sep_web::csrf::CsrfForm>,
) -> Result<Response> {
    match service::email(&v.p, &v.client, &who, id).await {
        Ok(sent) => Ok(Redirect::to(&format!(
            "/documents/{id}?emailed={}",
            sep_web::urlencoding_path(&sent.sent_to)
        ))
        .into_response()),
        Err(e @ AppError::Refused { .. }) => {
            let message = e.refusal_message(v.lang());
            show_page(&v, id, message, None, Vec::new(), e.status()).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PostalForm {
    csrf: String,
    recipient: String,
    postcode: String,
    region_code: String,
    delivery_address: String,
    password: String,
}

pub async fn postal(
    Path(id): Path<Uuid>,
    Member(v, who): Member,
    CheckedForm(form): CheckedForm<PostalForm>,
) -> Result<Response> {
    let input = PostalInput {
        recipient: form.recipient,
        postcode: form.postcode,
        region_code: form.region_code,
        delivery_address: form.delivery_address,
        password: form.password,
    };
    match service::order_postal(&v.p, &v.client, &who, id, input.clone()).await {
        Ok(_) => Ok(Redirect::to(&format!("/documents/{id}?posted=1")).into_response()),
        Err(AppError::Invalid(errors)) | Err(AppError::Conflict(errors)) => {
            show_page(
                &v,
                id,
                None,
                Some(input),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e @ AppError::Refused { .. }) => {
            let message = e.refusal_message(v.lang());
            show_page(&v, id, message, Some(input), Vec::new(), e.status()).await
        }
        Err(e) => Err(e),
    }
}
