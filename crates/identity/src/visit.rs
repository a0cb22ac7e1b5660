//! What every cabinet page handler needs about the request, in one extractor,
//! and the header it draws from it.

use super::auth::MaybeUser;
use super::model::Role;
use super::service::Principal;
use axum::extract::FromRequestParts;
use axum::response::Redirect;
use sep_kernel::i18n::Lang;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::error::AppError;
use sep_web::csrf::CsrfToken;
use sep_web::{Chrome, Visitor, urlencoding_path};
use std::sync::Arc;
use uuid::Uuid;

/// What the page header counts for a user — their unread notices — asked of
/// the context that keeps them (notifications sits above identity, so the
/// binary installs it in the platform's adapters at boot; absent, it is 0).
#[async_trait::async_trait]
pub trait HeaderCounts: Send + Sync {
    async fn unread(&self, p: &Platform, user: Uuid) -> Result<u64, AppError>;
}

#[derive(Clone)]
pub struct HeaderCounter(pub Arc<dyn HeaderCounts>);

pub(crate) async fn unread(p: &Platform, user: Uuid) -> Result<u64, AppError> {
    match p.adapters.get::<HeaderCounter>() {
        Some(c) => c.0.unread(p, user).await,
        None => Ok(0),
    }
}

/// The page layout for `user` (logged in or not).
pub fn chrome(p: &Platform, lang: Lang, user: &MaybeUser, csrf: &CsrfToken) -> Chrome {
    let visitor = user.0.as_ref().map(|u| Visitor {
        logged_in: true,
        is_admin: u.has(Role::Admin),
        is_officer: u.has(Role::Officer),
        unread: user.1,
    });
    Chrome::new(p, lang, visitor, csrf)
}

/// A cabinet page request: the platform, the client (language, address), the
/// visitor if logged in, and the CSRF token for the page's forms.
pub struct Visit {
    pub p: Platform,
    pub client: Client,
    pub user: MaybeUser,
    pub csrf: CsrfToken,
}

impl FromRequestParts<Platform> for Visit {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        p: &Platform,
    ) -> Result<Self, AppError> {
        let Ok(client) = Client::from_request_parts(parts, p).await;
        let Ok(csrf) = CsrfToken::from_request_parts(parts, p).await;
        Ok(Self {
            p: p.clone(),
            client,
            user: MaybeUser::from_request_parts(parts, p).await?,
            csrf,
        })
    }
}

/// A page visitor who is logged in, and who they are: a handler that takes
/// one cannot forget the check. Anyone else is sent to the login page, which
/// brings them back — to this page, or for a form they posted, to the page
/// the form was on.
pub struct Member(pub Visit, pub Principal);

impl FromRequestParts<Platform> for Member {
    type Rejection = axum::response::Response;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        p: &Platform,
    ) -> Result<Self, axum::response::Response> {
        use axum::response::IntoResponse;
        let visit = Visit::from_request_parts(parts, p)
            .await
            .map_err(IntoResponse::into_response)?;
        match visit.user.0.clone() {
            Some(who) => Ok(Self(visit, who)),
            None => Err(Redirect::to(&format!(
                "/login?back={}",
                urlencoding_path(&back_of(parts))
            ))
            .into_response()),
        }
    }
}

/// Where the login page should return to after a visitor without a session
/// asked for `parts`.
fn back_of(parts: &axum::http::request::Parts) -> String {
    let here = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_string();
    if matches!(
        parts.method,
        axum::http::Method::GET | axum::http::Method::HEAD
    ) {
        return here;
    }
    parts
        .headers
        .get(axum::http::header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .and_then(|r| r.path_and_query().map(|pq| pq.as_str().to_string()))
        .filter(|r| sep_web::local_path(r).is_some())
        .unwrap_or_else(|| "/".into())
}

impl Visit {
    pub fn chrome(&self) -> Chrome {
        chrome(&self.p, self.client.lang, &self.user, &self.csrf)
    }

    pub fn lang(&self) -> Lang {
        self.client.lang
    }

    /// The logged-in person, or a redirect to the login page that comes back here.
    pub fn require_login(&self, back: &str) -> Result<&Principal, Redirect> {
        self.user
            .0
            .as_ref()
            .ok_or_else(|| Redirect::to(&format!("/login?back={}", urlencoding_path(back))))
    }
}
