//! CSRF for the cabinet's forms: a random token in a `SameSite=Strict`,
//! HttpOnly cookie, repeated in a hidden field of every form (double submit).
//! A page without the cookie gets one on its first visit.

use axum::extract::{FromRequestParts, Request};
use axum::http::{HeaderValue, header, request::Parts};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use base64::Engine;
use sep_kernel::Rule;
use sep_platform::error::AppError;
use subtle::ConstantTimeEq;

pub const COOKIE: &str = "sep_csrf";

#[derive(Clone)]
pub struct CsrfToken(pub String);

impl CsrfToken {
    /// Refuses a form whose hidden field does not match the cookie.
    pub fn check(&self, sent: &str) -> Result<(), AppError> {
        if !self.0.is_empty() && bool::from(self.0.as_bytes().ct_eq(sent.as_bytes())) {
            Ok(())
        } else {
            Err(AppError::BadRequest(Rule("csrf")))
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(token_of(&parts.extensions))
    }
}

/// Middleware: makes sure each page request has a token, issuing one if needed.
pub async fn ensure(
    axum::extract::State(p): axum::extract::State<sep_platform::Platform>,
    mut request: Request,
    next: Next,
) -> Response {
    let existing = CookieJar::from_headers(request.headers())
        .get(COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() >= 32);
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>()),
            true,
        ),
    };
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if fresh
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
            if p.config.secure_cookies {
                "; Secure"
            } else {
                ""
            }
        ))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// The token the `ensure` middleware put on the request (none: empty, which
/// no form matches).
fn token_of(extensions: &axum::http::Extensions) -> CsrfToken {
    extensions
        .get::<CsrfToken>()
        .cloned()
        .unwrap_or(CsrfToken(String::new()))
}

/// A form that carries nothing but its CSRF token (a button that acts).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
}

/// A page's posted form whose hidden CSRF field matched the cookie: a handler
/// that takes one cannot forget the check. Refused with the same `csrf`
/// error as before; a body that is not the form `T` is a malformed request.
pub struct CheckedForm<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for CheckedForm<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let token = token_of(request.extensions());
        let axum::extract::RawForm(bytes) = axum::extract::RawForm::from_request(request, state)
            .await
            .map_err(|_| malformed())?;
        let sent = form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        token.check(&sent)?;
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|_| malformed())?;
        Ok(Self(form))
    }
}

fn malformed() -> AppError {
    AppError::refused(
        sep_platform::error::Refusal::Unreadable,
        "request-malformed",
    )
}

/// A posted multipart form whose first part is the CSRF field and matched the
/// cookie; the rest is read from the `Multipart` inside. The cabinet's
/// multipart forms put their hidden `csrf` input first and browsers send the
/// parts in document order, so nothing a forged post carries (a file) is read
/// before the check, and a handler that takes one cannot forget it.
pub struct CheckedMultipart(pub axum::extract::Multipart);

impl<S> axum::extract::FromRequest<S> for CheckedMultipart
where
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let token = token_of(request.extensions());
        let mut form = axum::extract::Multipart::from_request(request, state)
            .await
            .map_err(|_| malformed_multipart())?;
        let sent = match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("csrf") => {
                field.text().await.map_err(|_| malformed_multipart())?
            }
            Ok(_) => String::new(),
            Err(_) => return Err(malformed_multipart()),
        };
        token.check(&sent)?;
        Ok(Self(form))
    }
}

fn malformed_multipart() -> AppError {
    AppError::BadRequest(Rule("multipart-malformed"))
}
