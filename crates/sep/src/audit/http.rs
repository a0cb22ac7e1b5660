//! `/api/v1/audit/mine`: a user's own trail. The whole journal is for `sep audit`.

use super::Record;
use crate::identity::auth::Auth;
use crate::platform::Platform;
use crate::platform::error::Result;
use crate::platform::negotiate::Api;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;

pub fn routes() -> Router<Platform> {
    Router::new().route("/api/v1/audit/mine", get(mine))
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
