//! `/api/v1/audit/mine`: a user's own trail. The whole journal is for `sep audit`.

use crate::auth::Auth;
use axum::Router;
use axum::extract::{Query, State};
use sep_audit::Record;
use sep_platform::Platform;
use sep_platform::error::Result;
use sep_platform::negotiate::Api;
use sep_platform::{openapi, openapi::Access, openapi::Entry};
use serde::Deserialize;

pub fn api() -> Vec<Entry> {
    vec![Entry::get(
        "audit",
        "/api/v1/audit/mine",
        "My own audit trail: every change made to or by my account",
        Access::Session,
        mine,
    )]
}

pub fn routes() -> Router<Platform> {
    openapi::router(api())
}

#[derive(Deserialize)]
struct Page {
    before: Option<i64>,
}

async fn mine(
    State(p): State<Platform>,
    Auth(who): Auth,
    Query(page): Query<Page>,
) -> Result<Api<Vec<Record>>> {
    Ok(Api::ok(
        sep_audit::list_for_actor(&*p.db, who.user_id, page.before, 100).await?,
    ))
}
