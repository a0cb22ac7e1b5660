//! `/api/v1/applications`, `/api/v1/officer/queue`, `/api/v1/attachments`,
//! `/api/v1/drafts`, `/api/v1/admin/applications`: JSON or XML by `Accept`.

use super::service::{self, ActInput, ListQuery, SubmitInput};
use crate::authz;
use sep_forms::Answers;
use sep_identity::auth::Auth;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use sep_kernel::i18n::Lang;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{
    negotiate::Api, negotiate::Payload, negotiate::field_errors_json, negotiate::file,
};
use sep_platform::{openapi, openapi::Access::*, openapi::Entry};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

pub fn api() -> Vec<Entry> {
    let t = "applications";
    vec![
        Entry::post(
            t,
            "/api/v1/applications",
            "Submit an application (Idempotency-Key header required)",
            Session,
            submit,
        ),
        Entry::get(
            t,
            "/api/v1/applications",
            "My applications, newest first (`state`, `service`, `limit` up to 200, `after`: the id of the previous page's last one)",
            Session,
            mine,
        ),
        Entry::get(
            t,
            "/api/v1/applications/{id}",
            "An application with its answers, files, public history and my possible actions",
            Session,
            one,
        ),
        Entry::get(
            t,
            "/api/v1/applications/by-number/{number}",
            "An application by its number (check digit verified)",
            Session,
            by_number,
        ),
        Entry::post(
            t,
            "/api/v1/applications/{id}/actions",
            "Take an action: take, assign, request_info, provide_info, approve, refuse, complete, withdraw",
            Session,
            act,
        ),
        Entry::get(
            t,
            "/api/v1/applications/{id}/signing-payload",
            "The exact bytes an enhanced or qualified signature of the application covers (canonical JSON)",
            Session,
            signing_payload,
        ),
        Entry::get(
            t,
            "/api/v1/applications/{id}/signatures",
            "The application's signatures (simple, enhanced, qualified), each checked again",
            Session,
            signatures,
        ),
        Entry::post(
            t,
            "/api/v1/applications/{id}/signatures",
            "Sign my application: signature = base64 of a detached CMS (DER) over the signing payload, made with one of my certificates",
            Session,
            sign,
        ),
        Entry::get(
            t,
            "/api/v1/officer/queue",
            "My departments' applications: urgent first, then by deadline (`service`, `state`, `overdue`, `mine`)",
            Session,
            queue,
        ),
        Entry::get(
            t,
            "/api/v1/admin/applications",
            "Every application (administrators)",
            Session,
            all,
        ),
        Entry::get(
            t,
            "/api/v1/attachments/{id}",
            "Download an attached file",
            Session,
            download,
        ),
        Entry::get(t, "/api/v1/drafts", "My drafts", Session, drafts),
        Entry::get(
            t,
            "/api/v1/drafts/{service}",
            "The answers a form starts from: my draft, else my profile",
            Session,
            start,
        ),
        Entry::put(
            t,
            "/api/v1/drafts/{service}",
            "Save a draft as typed; returns what is wrong so far",
            Session,
            save_draft,
        ),
        Entry::delete(
            t,
            "/api/v1/drafts/{service}",
            "Delete a draft",
            Session,
            delete_draft,
        ),
    ]
}

pub fn routes() -> Router<Platform> {
    openapi::router(api())
}

/// Uploads carry files up to 5 MB: they get their own body limit, outside
/// the general one.
pub fn upload_api() -> Vec<Entry> {
    vec![
        Entry::get(
            "applications",
            "/api/v1/attachments",
            "The files I uploaded, newest first",
            Session,
            my_uploads,
        ),
        Entry::post(
            "applications",
            "/api/v1/attachments",
            "Upload a file (multipart, part `file`): PDF, JPG or PNG by content, up to 5 MB",
            Session,
            upload,
        ),
    ]
}

async fn my_uploads(
    State(p): State<Platform>,
    Auth(who): Auth,
) -> Result<Api<Vec<service::AttachmentView>>> {
    Ok(Api::ok(service::my_uploads(&p, &who).await?))
}

pub fn upload_routes() -> Router<Platform> {
    openapi::router(upload_api().into_iter().map(Entry::heavy).collect())
        .layer(DefaultBodyLimit::max(service::MAX_FILE_BYTES + 64 * 1024))
}

async fn submit(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    headers: HeaderMap,
    Payload(input): Payload<SubmitInput>,
) -> Result<Api<service::ApplicationView>> {
    let key = sep_platform::idempotency::from_headers(&headers)?;
    let done = service::submit(&p, &client, &who, &key, input).await?;
    Ok(Api::created_or_ok(done.created, done.application))
}

async fn mine(
    State(p): State<Platform>,
    Auth(who): Auth,
    Query(q): Query<ListQuery>,
) -> Result<Api<Vec<service::ApplicationSummary>>> {
    Ok(Api::ok(service::mine(&p, &who, &q).await?))
}

async fn one(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<service::ApplicationView>> {
    Ok(Api::ok(service::get(&p, &who, id).await?))
}

async fn by_number(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(number): Path<String>,
) -> Result<Api<service::ApplicationView>> {
    let number = super::model::ApplicationNumber::parse(&number)
        .map_err(|rule| AppError::Invalid(vec![sep_kernel::FieldError::new("number", rule)]))?;
    Ok(Api::ok(
        service::get_by_number(&p, &who, number.as_str()).await?,
    ))
}

async fn act(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
    Payload(input): Payload<ActInput>,
) -> Result<Api<service::ApplicationView>> {
    Ok(Api::ok(service::act(&p, &client, &who, id, input).await?))
}

async fn queue(
    State(p): State<Platform>,
    Auth(who): Auth,
    Query(q): Query<ListQuery>,
) -> Result<Api<Vec<service::ApplicationSummary>>> {
    Ok(Api::ok(service::queue(&p, &who, &q).await?))
}

async fn all(
    State(p): State<Platform>,
    Auth(who): Auth,
    Query(q): Query<ListQuery>,
) -> Result<Api<Vec<service::ApplicationSummary>>> {
    if !authz::can_list_all(&who) {
        return Err(AppError::Forbidden);
    }
    Ok(Api::ok(service::all(&p, &q).await?))
}

/// `multipart/form-data` with one part named `file`.
async fn upload(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    mut form: Multipart,
) -> Result<Api<service::AttachmentView>> {
    let mut parts = sep_platform::multipart::Parts::new(&mut form, "file", "file-too-large");
    let read = parts.rules();
    while let Some(field) = parts.next().await? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("file").to_string();
        let bytes = read.bytes(field).await?;
        let view = service::upload(&p, &client, &who, &name, bytes).await?;
        return Ok(Api(StatusCode::CREATED, view));
    }
    Err(AppError::field("file", "required"))
}

async fn download(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let (meta, bytes) = service::download(&p, &who, id).await?;
    file(&meta.file_name, &meta.media_type, bytes)
}

async fn drafts(
    State(p): State<Platform>,
    Auth(who): Auth,
) -> Result<Api<Vec<service::DraftView>>> {
    Ok(Api::ok(service::drafts(&p, &who).await?))
}

/// The answers a form starts from: the saved draft, else the profile's.
async fn start(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(code): Path<String>,
) -> Result<Api<Value>> {
    let open = service::open_form(&p, &who, &code).await?;
    Ok(Api::ok(json!({
        "service": code,
        "form_version": open.service.form_version,
        "from_draft": open.from_draft,
        "answers": open.answers,
    })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DraftInput {
    answers: Answers,
}

async fn save_draft(
    State(p): State<Platform>,
    Auth(who): Auth,
    lang: Lang,
    Path(code): Path<String>,
    Payload(input): Payload<DraftInput>,
) -> Result<Api<Value>> {
    let (draft, errors) = service::save_draft(&p, &who, &code, input.answers).await?;
    Ok(Api::ok(json!({
        "draft": draft,
        "errors": field_errors_json(lang, &errors),
    })))
}

async fn delete_draft(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(code): Path<String>,
) -> Result<StatusCode> {
    service::delete_draft(&p, &who, &code).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn signing_payload(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let (name, bytes) = service::signing_payload(&p, &who, id).await?;
    file(&name, "application/json", bytes)
}

async fn signatures(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<Vec<sep_contracts::signatures::SignedActView>>> {
    Ok(Api::ok(service::signatures(&p, &who, id).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInput {
    /// Base64 of the detached CMS signature (DER).
    signature: String,
}

async fn sign(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
    Payload(input): Payload<SignInput>,
) -> Result<Api<sep_contracts::signatures::SignedActView>> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(input.signature.split_whitespace().collect::<String>())
        .map_err(|_| AppError::field("signature", "signature-malformed"))?;
    if bytes.is_empty() {
        return Err(AppError::field("signature", "required"));
    }
    Ok(Api(
        StatusCode::CREATED,
        service::sign(&p, &client, &who, id, &bytes).await?,
    ))
}
