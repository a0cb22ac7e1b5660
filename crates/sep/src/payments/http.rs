//! `/api/v1/charges`: agencies post and cancel charges; a person sees theirs;
//! anyone looks one up by УИН.

use super::model::ChargeInput;
use super::service::{self, ChargeView};
use crate::identity::auth::Auth;
use crate::platform::Platform;
use crate::platform::client::Client;
use crate::platform::error::Result;
use crate::platform::negotiate::{Api, Payload};
use crate::platform::openapi::{self, Access::*, Entry};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

pub fn api() -> Vec<Entry> {
    let t = "payments";
    vec![
        Entry::get(
            t,
            "/api/v1/charges",
            "My unpaid and paid charges, found by my ИНН and СНИЛС",
            Session,
            mine,
        ),
        Entry::post(
            t,
            "/api/v1/charges",
            "Post a charge with its УИН and payee (agency officers, integrators)",
            Session,
            post,
        ),
        Entry::get(
            t,
            "/api/v1/charges/{uin}",
            "Look a charge up by УИН: amount due today, payee, status",
            Public,
            one,
        ),
        Entry::post(
            t,
            "/api/v1/charges/{uin}/cancel",
            "Cancel an unpaid charge with a reason (agency officers, integrators)",
            Session,
            cancel,
        ),
    ]
}

pub fn routes() -> Router<Platform> {
    openapi::router(api())
}

async fn mine(State(p): State<Platform>, Auth(who): Auth) -> Result<Api<Vec<ChargeView>>> {
    Ok(Api::ok(service::my_charges(&p, &who).await?))
}

async fn post(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<ChargeInput>,
) -> Result<Api<ChargeView>> {
    Ok(Api(
        StatusCode::CREATED,
        service::post_charge(&p, &client, &who, input).await?,
    ))
}

async fn one(State(p): State<Platform>, Path(uin): Path<String>) -> Result<Api<ChargeView>> {
    Ok(Api::ok(service::charge(&p, &uin).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CancelInput {
    reason: String,
}

async fn cancel(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(uin): Path<String>,
    Payload(input): Payload<CancelInput>,
) -> Result<Api<ChargeView>> {
    Ok(Api::ok(
        service::cancel_charge(&p, &client, &who, &uin, &input.reason).await?,
    ))
}
