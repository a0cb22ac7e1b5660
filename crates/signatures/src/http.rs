//! `/api/v1/signatures`: the published CA and the trust list (public: anyone
//! checking a document needs them; administrators change the list), and a
//! person's own certificates («Электронные подписи»): add from .p12/.pfx or
//! by a signed challenge, list, annul.

use super::anchors::{self, AnchorInput};
use super::service::{self, AnchorView};
use super::users::{self, AnnulInput, CertificateView, Challenge, ChallengeAnswer};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use sep_identity::auth::Auth;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::error::Result;
use sep_platform::multipart::Parts;
use sep_platform::{negotiate::Api, negotiate::Payload};
use sep_platform::{openapi, openapi::Access::*, openapi::Entry};
use uuid::Uuid;

pub fn api() -> Vec<Entry> {
    let t = "signatures";
    vec![
        Entry::get(
            t,
            "/api/v1/signatures/ca.pem",
            "The certification authority that issues the agencies' signing certificates (PEM)",
            Public,
            ca_pem,
        ),
        Entry::get(
            t,
            "/api/v1/signatures/trust-list",
            "The certification authorities whose certificates СЭП accepts",
            Public,
            trust_list,
        ),
        Entry::get(
            t,
            "/api/v1/signatures/revocations",
            "The revocation registry: annulled certificates (serial, issuer, fingerprint, when)",
            Public,
            revocations,
        ),
        Entry::post(
            t,
            "/api/v1/signatures/trust-list",
            "Put a certification authority on the trust list (administrators): name, certificate (PEM), qualified",
            Session,
            add_anchor,
        ),
        Entry::delete(
            t,
            "/api/v1/signatures/trust-list/{fingerprint}",
            "Take a certification authority off the trust list (administrators)",
            Session,
            remove_anchor,
        ),
        Entry::get(
            t,
            "/api/v1/signatures/certificates",
            "My signature certificates",
            Session,
            my_certificates,
        ),
        Entry::get(
            t,
            "/api/v1/signatures/challenge",
            "A challenge to sign (detached CMS) to prove possession of a key kept on a token",
            Session,
            challenge,
        ),
        Entry::post(
            t,
            "/api/v1/signatures/certificates/signed",
            "Add a certificate with the signed challenge: certificate (PEM), challenge, signature (base64 DER)",
            Session,
            add_signed,
        ),
        Entry::post(
            t,
            "/api/v1/signatures/certificates/{id}/annul",
            "Annul my certificate (reason optional): nothing more can be signed with it",
            Session,
            annul,
        ),
    ]
}

pub fn upload_api() -> Vec<Entry> {
    vec![Entry::post(
        "signatures",
        "/api/v1/signatures/certificates",
        "Add my certificate from a .p12/.pfx (multipart: file, password): validity, trust list and key checked; only the certificate is kept",
        Session,
        add_p12,
    )]
}

pub fn routes() -> Router<Platform> {
    openapi::router(api())
}

pub fn upload_routes() -> Router<Platform> {
    openapi::router(upload_api().into_iter().map(Entry::heavy).collect())
        .layer(DefaultBodyLimit::max(users::MAX_P12_BYTES + 16 * 1024))
}

async fn ca_pem(State(p): State<Platform>) -> Result<impl IntoResponse> {
    let pem = service::published_ca(&p).await?;
    Ok(([(header::CONTENT_TYPE, "application/x-pem-file")], pem))
}

async fn trust_list(State(p): State<Platform>) -> Result<Api<Vec<AnchorView>>> {
    Ok(Api::ok(service::trust_list(&p).await?))
}

async fn add_anchor(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<AnchorInput>,
) -> Result<Api<AnchorView>> {
    Ok(Api(
        StatusCode::CREATED,
        anchors::add_anchor(&p, &client, Some(&who), input).await?,
    ))
}

async fn remove_anchor(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(fingerprint): Path<String>,
) -> Result<StatusCode> {
    anchors::remove_anchor(&p, &client, Some(&who), &fingerprint).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn my_certificates(
    State(p): State<Platform>,
    Auth(who): Auth,
) -> Result<Api<Vec<CertificateView>>> {
    Ok(Api::ok(users::mine(&p, &who).await?))
}

async fn challenge(State(p): State<Platform>, Auth(who): Auth) -> Api<Challenge> {
    Api::ok(users::challenge(&p, &who))
}

async fn add_signed(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(answer): Payload<ChallengeAnswer>,
) -> Result<Api<CertificateView>> {
    Ok(Api(
        StatusCode::CREATED,
        users::add_signed(&p, &client, &who, answer).await?,
    ))
}

async fn annul(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
    Payload(input): Payload<AnnulInput>,
) -> Result<Api<CertificateView>> {
    Ok(Api::ok(users::annul(&p, &client, &who, id, input).await?))
}

/// The `file` and `password` parts of a certificate upload (the API's and the page's).
pub struct P12Form {
    pub file: Vec<u8>,
    pub password: String,
}

pub async fn read_p12_form(form: &mut Multipart) -> Result<P12Form> {
    let mut out = P12Form {
        file: Vec::new(),
        password: String::new(),
    };
    let mut parts = Parts::new(form, "file", "p12-too-large");
    let read = parts.rules();
    while let Some(field) = parts.next().await? {
        let name = field.name().map(str::to_string);
        match name.as_deref() {
            Some("file") => out.file = read.bytes(field).await?,
            Some("password") => out.password = read.text(field).await?,
            _ => {}
        }
    }
    Ok(out)
}

async fn add_p12(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    mut form: Multipart,
) -> Result<Api<CertificateView>> {
    let form = read_p12_form(&mut form).await?;
    Ok(Api(
        StatusCode::CREATED,
        users::add_p12(&p, &client, &who, form.file, form.password).await?,
    ))
}

async fn revocations(State(p): State<Platform>) -> Result<Api<Vec<users::Revoked>>> {
    Ok(Api::ok(users::revocations(&p).await?))
}
