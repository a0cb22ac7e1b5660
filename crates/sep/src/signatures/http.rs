//! `/api/v1/signatures`: the published CA and the trust list (public: anyone
//! checking a document needs them).

use super::service::{self, AnchorView};
use crate::platform::Platform;
use crate::platform::error::Result;
use crate::platform::negotiate::Api;
use crate::platform::openapi::{self, Access::*, Entry};
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

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
    ]
}

pub fn routes() -> Router<Platform> {
    openapi::router(api())
}

async fn ca_pem(State(p): State<Platform>) -> Result<impl IntoResponse> {
    let pem = service::published_ca(&p).await?;
    Ok(([(header::CONTENT_TYPE, "application/x-pem-file")], pem))
}

async fn trust_list(State(p): State<Platform>) -> Result<Api<Vec<AnchorView>>> {
    Ok(Api::ok(service::trust_list(&p).await?))
}
