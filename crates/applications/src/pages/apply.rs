//! Applying in the cabinet: `/services/{code}/apply` shows the service's form
//! (from the draft, else prefilled from the profile), takes it back as
//! multipart (files included), and either saves a draft or submits.

use super::form::{Block, blocks};
use crate::{service, service::SubmitInput};
use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use sep_contracts::catalog::ServiceLine;
use sep_contracts::catalog::catalogue;
use sep_forms::{Answers, FieldDef, FieldKind, Mode, answers_from_pairs};
use sep_identity::service::Principal;
use sep_identity::visit::Member;
use sep_identity::visit::Visit;
use sep_kernel::FieldError;
use sep_platform::Platform;
use sep_platform::clock::local_date;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::CheckedMultipart;
use sep_web::{Chrome, render};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Template)]
#[template(path = "applications/apply.html")]
struct ApplyPage {
    chrome: Chrome,
    service: ServiceLine,
    blocks: Vec<Block>,
    /// Protects against a double submit: the same key for every post of this page.
    idempotency_key: String,
    form_errors: Vec<String>,
    notice: Option<String>,
    uploaded: Vec<(String, String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ApplyQuery {
    saved: Option<String>,
}

struct Shown<'a> {
    answers: &'a Answers,
    errors: &'a [FieldError],
    key: String,
    notice: Option<String>,
}

async fn page(v: &Visit, code: &str, shown: Shown<'_>) -> Result<Response> {
    let lang = v.lang();
    let detail = catalogue(&v.p).summary(&v.p, code).await?;
    let form = catalogue(&v.p)
        .form(&v.p, code, detail.form_version)
        .await?;
    let known = |e: &&FieldError| {
        let top = e.field.split(['.', '[']).next().unwrap_or("");
        form.fields().iter().any(|f| f.name == top)
    };
    let form_errors = shown
        .errors
        .iter()
        .filter(|e| !known(e))
        .map(|e| lang.field_error(e))
        .collect();
    let owner = v.user.0.as_ref().map(|u| u.user_id).unwrap_or_default();
    let uploaded = uploaded_files(&v.p, owner, form.fields(), shown.answers).await?;
    Ok(render(&ApplyPage {
        chrome: v.chrome(),
        service: ServiceLine::new(lang, &detail),
        blocks: blocks(lang, form.fields(), shown.answers, shown.errors),
        idempotency_key: shown.key,
        form_errors,
        notice: shown.notice,
        uploaded,
    }))
}

/// Files already attached in an earlier post of this form: (field, id, name).
async fn uploaded_files(
    p: &Platform,
    owner: uuid::Uuid,
    fields: &[FieldDef],
    answers: &Answers,
) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    for f in fields.iter().filter(|f| f.kind == FieldKind::File) {
        if let Some(id) = answers.get(&f.name).and_then(Value::as_str)
            && let Ok(uuid) = id.parse()
            && let Some(meta) = service::attachment_meta(p, owner, uuid).await?
        {
            out.push((f.name.clone(), id.to_string(), meta.file_name));
        }
    }
    Ok(out)
}

pub async fn apply_page(
    Path(code): Path<String>,
    Member(v, who): Member,
    Query(q): Query<ApplyQuery>,
) -> Result<Response> {
    let open = service::open_form(&v.p, &who, &code).await?;
    let notice = if q.saved.is_some() {
        Some(v.lang().t("notice-draft-saved"))
    } else if open.from_draft {
        Some(v.lang().t("notice-draft-resumed"))
    } else {
        None
    };
    page(
        &v,
        &code,
        Shown {
            answers: &open.answers,
            errors: &[],
            key: uuid::Uuid::new_v4().to_string(),
            notice,
        },
    )
    .await
}

/// The posted form: its text fields as pairs, files uploaded as they come.
struct Posted {
    pairs: Vec<(String, String)>,
    key: String,
    intent: String,
}

async fn read_post(
    v: &Visit,
    who: &Principal,
    fields: &[FieldDef],
    mut multipart: Multipart,
) -> Result<(Posted, Vec<FieldError>)> {
    let mut posted = Posted {
        pairs: Vec::new(),
        key: String::new(),
        intent: String::new(),
    };
    let mut errors = Vec::new();
    let mut parts = sep_platform::multipart::Parts::new(&mut multipart, "file", "file-too-large");
    let read = parts.rules();
    let mut uploaded: Vec<String> = Vec::new();
    while let Some(field) = parts.next().await? {
        let name = field.name().unwrap_or("").to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let bytes = read.bytes(field).await?;
            if bytes.is_empty() {
                continue;
            }
            // Only the form's own file fields are taken, each once: a post
            // repeating a file field does not store a file per repetition.
            if uploaded.contains(&name)
                || !fields
                    .iter()
                    .any(|f| f.name == name && f.kind == FieldKind::File)
            {
                continue;
            }
            uploaded.push(name.clone());
            match service::upload(&v.p, &v.client, who, &file_name, bytes).await {
                Ok(a) => {
                    posted.pairs.retain(|(k, _)| k != &name);
                    posted.pairs.push((name, a.id.to_string()));
                }
                Err(AppError::Invalid(e)) => errors.extend(e.into_iter().map(|mut e| {
                    e.field = name.clone().into();
                    e
                })),
                Err(e) => return Err(e),
            }
            continue;
        }
        let text = read.text(field).await?;
        match name.as_str() {
            "idempotency_key" => posted.key = text,
            "intent" => posted.intent = text,
            // A file uploaded in an earlier post stays unless a new one replaces it.
            _ if posted.pairs.iter().any(|(k, _)| k == &name) => {}
            _ => posted.pairs.push((name, text)),
        }
    }
    Ok((posted, errors))
}

pub async fn apply_submit(
    Path(code): Path<String>,
    Member(v, who): Member,
    CheckedMultipart(multipart): CheckedMultipart,
) -> Result<Response> {
    let detail = catalogue(&v.p).summary(&v.p, &code).await?;
    let form = catalogue(&v.p)
        .form(&v.p, &code, detail.form_version)
        .await?;
    let (posted, upload_errors) = read_post(&v, &who, form.fields(), multipart).await?;
    let answers = answers_from_pairs(form.fields(), &posted.pairs);
    if posted.intent == "draft" {
        service::save_draft(&v.p, &who, &code, answers).await?;
        return Ok(Redirect::to(&format!("/services/{code}/apply?saved=1")).into_response());
    }
    let refused = |errors: Vec<FieldError>, status: StatusCode| {
        let v = &v;
        let answers = &answers;
        let key = posted.key.clone();
        let code = code.clone();
        async move {
            let mut r = page(
                v,
                &code,
                Shown {
                    answers,
                    errors: &errors,
                    key,
                    notice: None,
                },
            )
            .await?;
            *r.status_mut() = status;
            Ok::<Response, AppError>(r)
        }
    };
    if !upload_errors.is_empty() {
        return refused(upload_errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let input = SubmitInput {
        service: code.clone(),
        answers: answers.clone(),
        region_code: None,
    };
    let key = if posted.key.is_empty() {
        uuid::Uuid::new_v4().to_string()
    } else {
        posted.key.clone()
    };
    match service::submit(&v.p, &v.client, &who, &key, input).await {
        Ok(done) => Ok(Redirect::to(&format!(
            "/applications/{}?submitted=1",
            done.application.summary.id
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => refused(errors, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => Err(e),
    }
}

/// Checks the fields typed so far (the script calls this as each is left):
/// `{"errors": [{"field", "rule"}]}` with the rule in the reader's language.
pub async fn check(
    v: Visit,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Json<Value>> {
    let lang = v.lang();
    let detail = catalogue(&v.p).summary(&v.p, &code).await?;
    let form = catalogue(&v.p)
        .form(&v.p, &code, detail.form_version)
        .await?;
    let answers = answers_from_pairs(form.fields(), &pairs);
    let errors = form
        .validate(&answers, local_date(v.p.now()), Mode::Partial)
        .err()
        .unwrap_or_default();
    Ok(Json(json!({
        "errors": errors
            .iter()
            .map(|e| json!({ "field": e.field, "rule": lang.field_rule(e) }))
            .collect::<Vec<_>>(),
    })))
}
