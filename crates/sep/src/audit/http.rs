//! `/api/v1/audit/mine`: a user's own trail. The whole journal is for `sep audit`.

use super::Record;
use crate::identity::auth::Auth;
use crate::platform::Platform;
use crate::platform::error::Result;
use crate::platform::negotiate::Api;
use crate::platform::openapi::{self, Access, Entry};
use axum::Router;
use axum::extract::{Query, State};
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
        super::list_for_actor(&*p.db, who.user_id, page.before, 100).await?,
    ))
}
