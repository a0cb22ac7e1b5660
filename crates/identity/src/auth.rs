//! Extractors that turn a request's token or cookie into a [`Principal`].

use super::service::{self, Principal};
use axum::extract::FromRequestParts;
use axum::http::{Method, header, request::Parts};
use axum_extra::extract::CookieJar;
use sep_kernel::Rule;
use sep_platform::Platform;
use sep_platform::error::AppError;

pub const SESSION_COOKIE: &str = "sep_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

pub fn session_cookie(parts: &Parts) -> Option<String> {
    CookieJar::from_headers(&parts.headers)
        .get(SESSION_COOKIE)
        .map(|c| c.value().to_string())
}

/// An API caller with a live session. A bearer token proves itself; a cookie
/// on a state-changing request must come with the session's CSRF token in the
/// `X-CSRF-Token` header, since a browser sends cookies on other sites' behalf.
pub struct Auth(pub Principal);

impl FromRequestParts<Platform> for Auth {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, p: &Platform) -> Result<Self, AppError> {
        if let Some(token) = bearer(parts) {
            return Ok(Self(service::authenticate(p, &token).await?));
        }
        let token =
            session_cookie(parts).ok_or(AppError::Unauthorized(Rule("session-required")))?;
        let principal = service::authenticate(p, &token).await?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if sent != service::csrf_token(p, principal.session_id) {
                return Err(AppError::Forbidden);
            }
        }
        Ok(Self(principal))
    }
}

/// A page visitor who may or may not be logged in, with the number of their
/// unread notices for the page header.
pub struct MaybeUser(pub Option<Principal>, pub u64);

impl FromRequestParts<Platform> for MaybeUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, p: &Platform) -> Result<Self, AppError> {
        let Some(token) = session_cookie(parts) else {
            return Ok(Self(None, 0));
        };
        match service::authenticate(p, &token).await {
            Ok(principal) => {
                let unread = super::visit::unread(p, principal.user_id).await?;
                Ok(Self(Some(principal), unread))
            }
            Err(AppError::Unauthorized(_)) => Ok(Self(None, 0)),
            Err(e) => Err(e),
        }
    }
}
