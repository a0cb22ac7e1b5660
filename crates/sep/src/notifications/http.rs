//! `/api/v1/notifications` and the live stream `GET /api/v1/events`.

use super::service::{self, ListQuery, PreferenceView};
use crate::identity::auth::Auth;
use crate::platform::Platform;
use crate::platform::error::Result;
use crate::platform::i18n::Lang;
use crate::platform::negotiate::{Api, Payload};
use crate::platform::openapi::{self, Access::*, Entry};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::Stream;
use serde::Deserialize;
use serde_json::{Value, json};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

pub fn api() -> Vec<Entry> {
    let t = "notifications";
    vec![
        Entry::get(
            t,
            "/api/v1/notifications",
            "My notices, newest first (`unread`, `kind`)",
            Session,
            list,
        ),
        Entry::get(
            t,
            "/api/v1/notifications/unread-count",
            "How many notices I have not read",
            Session,
            unread,
        ),
        Entry::post(
            t,
            "/api/v1/notifications/read-all",
            "Mark all my notices read",
            Session,
            read_all,
        )
        .without_body(),
        Entry::post(
            t,
            "/api/v1/notifications/{id}/read",
            "Mark one notice read",
            Session,
            read_one,
        )
        .without_body(),
        Entry::get(
            t,
            "/api/v1/notifications/preferences",
            "How I am told of each kind of event (email, SMS)",
            Session,
            preferences,
        ),
        Entry::put(
            t,
            "/api/v1/notifications/preferences",
            "Change how I am told",
            Session,
            set_preferences,
        ),
        Entry::get(
            t,
            "/api/v1/events",
            "Server-sent events: my applications' changes as they happen",
            Session,
            events,
        ),
    ]
}

pub fn routes() -> Router<Platform> {
    openapi::router(api())
}

async fn list(
    State(p): State<Platform>,
    Auth(who): Auth,
    lang: Lang,
    Query(q): Query<ListQuery>,
) -> Result<Api<Vec<service::NotificationView>>> {
    Ok(Api::ok(service::list(&p, &who, lang, &q).await?))
}

async fn unread(State(p): State<Platform>, Auth(who): Auth) -> Result<Api<Value>> {
    Ok(Api::ok(
        json!({ "unread": service::unread_count(&p, who.user_id).await? }),
    ))
}

async fn read_all(State(p): State<Platform>, Auth(who): Auth) -> Result<Api<Value>> {
    Ok(Api::ok(
        json!({ "marked": service::mark_read(&p, &who, None).await? }),
    ))
}

async fn read_one(
    State(p): State<Platform>,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<Value>> {
    Ok(Api::ok(
        json!({ "marked": service::mark_read(&p, &who, Some(id)).await? }),
    ))
}

async fn preferences(
    State(p): State<Platform>,
    Auth(who): Auth,
) -> Result<Api<Vec<PreferenceView>>> {
    Ok(Api::ok(service::preferences(&p, &who).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PreferencesInput {
    preferences: Vec<PreferenceView>,
}

async fn set_preferences(
    State(p): State<Platform>,
    Auth(who): Auth,
    Payload(input): Payload<PreferencesInput>,
) -> Result<Api<Vec<PreferenceView>>> {
    Ok(Api::ok(
        service::set_preferences(&p, &who, input.preferences).await?,
    ))
}

/// Server-sent events: what happens to the reader's applications (as the
/// applicant or as an officer of their department), as it happens, with the
/// reader's new unread count. A client that falls behind is told to reload.
async fn events(
    State(p): State<Platform>,
    Auth(who): Auth,
    lang: Lang,
) -> Sse<impl Stream<Item = std::result::Result<SseEvent, Infallible>>> {
    let rx = p.bus.listen();
    let user = who.user_id;
    let stream = futures::stream::unfold((rx, p), move |(mut rx, p)| async move {
        loop {
            match rx.recv().await {
                Ok(event) if event.audience.contains(&user) => {
                    let mut data = event.payload.clone();
                    if let Some(state) = data["state"].as_str() {
                        data["state_label"] = lang.t(&format!("state-{state}")).into();
                    }
                    data["unread"] = service::unread_count(&p, user).await.unwrap_or(0).into();
                    let sse = SseEvent::default()
                        .event(event.kind.clone())
                        .id(event.id.to_string())
                        .data(data.to_string());
                    return Some((Ok(sse), (rx, p)));
                }
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => {
                    let sse = SseEvent::default().event("reload").data("{}");
                    return Some((Ok(sse), (rx, p)));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
