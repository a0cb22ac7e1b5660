//! Who is on the other end of a request: address, user agent, language.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::{header, request::Parts};
use sep_kernel::i18n::Lang;
use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
    pub lang: Lang,
}

impl Client {
    pub fn system() -> Self {
        Self {
            ip: "cli".into(),
            user_agent: "sep".into(),
            lang: Lang::Ru,
        }
    }
}

const MAX_USER_AGENT: usize = 300;

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // The address the throttle resolved (a trusted proxy's header or the peer).
        let ip = match parts.extensions.get::<super::throttle::http::ClientAddr>() {
            Some(a) => a.0.to_string(),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".into(), |c| c.0.ip().to_string()),
        };
        let user_agent: String = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(MAX_USER_AGENT)
            .collect();
        Ok(Self {
            ip,
            user_agent,
            lang: super::negotiate::lang_of(&parts.headers),
        })
    }
}
