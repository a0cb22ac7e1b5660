//! `/api/v1/documents`: the kinds one may order, orders, «Мои документы»
//! (file, signature, email, post), revocation; `/api/v1/verify`: the public
//! check of a document by file, digest or the token its QR code holds.

use super::model::Kind;
use super::service::{
    self, CheckView, DigestInput, DocumentView, Emailed, Evidence, ListQuery, OrderInput, Ordered,
    PostalInput, RevokeInput,
};
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use sep_identity::auth::Auth;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{negotiate::Api, negotiate::Payload, negotiate::file};
use sep_platform::{openapi, openapi::Access::*, openapi::Entry};
use serde::Serialize;
use uuid::Uuid;

/// The largest file the public check takes.
pub const MAX_CHECKED_FILE: usize = 10 * 1024 * 1024;

pub fn api() -> Vec<Entry> {
    let t = "documents";
    vec![
        Entry::get(
            t,
            "/api/v1/documents/kinds",
            "The certificates one may order: issuing agency, account level, profile fields needed",
            Public,
            kinds,
        ),
        Entry::post(
            t,
            "/api/v1/documents/orders",
            "Order certificates (kinds: [...]); each is issued within seconds into «Мои документы»",
            Session,
            order,
        ),
        Entry::get(
            t,
            "/api/v1/documents",
            "My documents, newest first (kind, from, to as YYYY-MM-DD, revoked=true|false)",
            Session,
            mine,
        ),
        Entry::get(
            t,
            "/api/v1/documents/{id}",
            "One of my documents",
            Session,
            one,
        ),
        Entry::get(
            t,
            "/api/v1/documents/{id}/file",
            "The document's PDF",
            Session,
            pdf,
        ),
        Entry::get(
            t,
            "/api/v1/documents/{id}/signature",
            "The issuer's detached CMS signature of the PDF (DER, .sig): openssl cms -verify -binary -inform DER",
            Session,
            signature,
        ),
        Entry::post(
            t,
            "/api/v1/documents/{id}/email",
            "Send the PDF to my confirmed email",
            Session,
            email,
        ),
        Entry::post(
            t,
            "/api/v1/documents/{id}/postal",
            "Order a paper copy by post (recipient, postcode, region_code, delivery_address)",
            Session,
            postal,
        ),
        Entry::post(
            t,
            "/api/v1/documents/{id}/revoke",
            "Revoke an issued document with a reason (administrators)",
            Session,
            revoke,
        ),
        Entry::get(
            t,
            "/api/v1/admin/postal-orders",
            "Paper copies to dispatch, with their addresses (administrators, support; state=requested|sent|…)",
            Session,
            postal_orders,
        ),
        Entry::post(
            t,
            "/api/v1/admin/postal-orders/{id}",
            "Record a paper copy's progress: state = sent | delivered | cancelled (the holder is told)",
            Session,
            mark_postal,
        ),
        Entry::get(
            t,
            "/api/v1/verify/{token}",
            "The document a check address (QR code) names: issuer, date, masked holder, revoked or not",
            Public,
            by_token,
        ),
    ]
}

pub fn upload_api() -> Vec<Entry> {
    vec![Entry::post(
        "documents",
        "/api/v1/verify",
        "Check a document: multipart `file` (and optional `token`), or JSON/XML {sha256 | streebog256, token}: authentic, altered, revoked or unknown",
        Public,
        verify,
    )]
}

pub fn routes() -> Router<Platform> {
    openapi::router(api())
}

pub fn upload_routes() -> Router<Platform> {
    openapi::router(upload_api().into_iter().map(Entry::heavy).collect())
        .layer(DefaultBodyLimit::max(MAX_CHECKED_FILE + 64 * 1024))
}

#[derive(Debug, Serialize)]
struct KindView {
    code: &'static str,
    title: &'static str,
    agency_code: &'static str,
    level: &'static str,
    needs: Vec<&'static str>,
}

async fn kinds() -> Api<Vec<KindView>> {
    Api::ok(
        Kind::ORDERABLE
            .into_iter()
            .map(|k| KindView {
                code: k.code(),
                title: k.title(),
                agency_code: k.agency().unwrap_or_default(),
                level: k.level().as_str(),
                needs: k.needs().iter().map(|n| n.field()).collect(),
            })
            .collect(),
    )
}

async fn order(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<OrderInput>,
) -> Result<Api<Ordered>> {
    Ok(Api(
        StatusCode::CREATED,
        service::order(&p, &client, &who, input).await?,
    ))
}

async fn mine(
    State(p): State<Platform>,
    Auth(who): Auth,
    Query(q): Query<ListQuery>,
) -> Result<Api<Vec<DocumentView>>> {
    Ok(Api::ok(service::list(&p, &who, &q).await?))
}

async fn one(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<DocumentView>> {
    Ok(Api::ok(service::get(&p, &who, id).await?))
}

async fn pdf(State(p): State<Platform>, Auth(who): Auth, Path(id): Path<Uuid>) -> Result<Response> {
    let (name, bytes) = service::pdf(&p, &who, id).await?;
    file(&name, "application/pdf", bytes)
}

async fn signature(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let (name, bytes) = service::signature(&p, &who, id).await?;
    file(&name, "application/pkcs7-signature", bytes)
}

async fn email(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<Emailed>> {
    Ok(Api(
        StatusCode::ACCEPTED,
        service::email(&p, &client, &who, id).await?,
    ))
}

async fn postal(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
    Payload(input): Payload<PostalInput>,
) -> Result<Api<DocumentView>> {
    Ok(Api(
        StatusCode::CREATED,
        service::order_postal(&p, &client, &who, id, input).await?,
    ))
}

async fn revoke(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
    Payload(input): Payload<RevokeInput>,
) -> Result<Api<DocumentView>> {
    Ok(Api::ok(
        service::revoke(&p, &client, Some(&who), &id.to_string(), input).await?,
    ))
}

async fn by_token(
    State(p): State<Platform>,
    client: Client,
    Path(token): Path<String>,
) -> Result<Api<CheckView>> {
    Ok(Api::ok(service::by_token(&p, &client, &token).await?))
}

/// A file as multipart, or a digest as JSON/XML.
async fn verify(State(p): State<Platform>, client: Client, req: Request) -> Result<Api<CheckView>> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    if !multipart {
        let Payload(input) = Payload::<DigestInput>::from_request(req, &p).await?;
        let view = service::check(&p, &client, Evidence::Digest(input), None, "api").await?;
        return Ok(Api::ok(view));
    }
    let mut form = Multipart::from_request(req, &p)
        .await
        .map_err(|_| AppError::BadRequest(sep_kernel::Rule("body-malformed")))?;
    let form = read_check_form(&mut form).await?;
    let view = service::check(
        &p,
        &client,
        Evidence::File(form.file),
        form.token.as_deref(),
        "api",
    )
    .await?;
    Ok(Api::ok(view))
}

/// A check form's parts: the `file` (required) and the `token` of the
/// document in view (the page's `csrf` part is read and checked before).
pub struct CheckForm {
    pub file: Vec<u8>,
    pub token: Option<String>,
}

pub async fn read_check_form(form: &mut Multipart) -> Result<CheckForm> {
    let mut file = None;
    let mut token = None;
    let mut parts = sep_platform::multipart::Parts::new(form, "file", "checked-file-too-large");
    let read = parts.rules();
    while let Some(field) = parts.next().await? {
        let name = field.name().map(str::to_string);
        match name.as_deref() {
            Some("file") => file = Some(read.bytes(field).await?),
            Some("token") => token = Some(read.text(field).await?.trim().to_string()),
            _ => {}
        }
    }
    match file {
        Some(file) if !file.is_empty() => Ok(CheckForm {
            file,
            token: token.filter(|t| !t.is_empty()),
        }),
        _ => Err(AppError::field("file", "required")),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PostalQuery {
    state: Option<String>,
}

async fn postal_orders(
    State(p): State<Platform>,
    Auth(who): Auth,
    Query(q): Query<PostalQuery>,
) -> Result<Api<Vec<service::PostalOrderView>>> {
    Ok(Api::ok(
        service::postal_orders(&p, Some(&who), q.state.as_deref()).await?,
    ))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PostalMove {
    state: String,
}

async fn mark_postal(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
    Payload(input): Payload<PostalMove>,
) -> Result<StatusCode> {
    service::mark_postal(&p, &client, Some(&who), id, input.state.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}
