//! `/api/v1/notifications` and the live stream `GET /api/v1/events`.

use super::service::{self, ListQuery, PreferenceView};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::Stream;
use sep_identity::auth::Auth;
use sep_identity::service::Principal;
use sep_kernel::Rule;
use sep_kernel::i18n::Lang;
use sep_platform::Platform;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{negotiate::Api, negotiate::Payload};
use sep_platform::{openapi, openapi::Access::*, openapi::Entry};
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
) -> Result<Sse<impl Stream<Item = std::result::Result<SseEvent, Infallible>>>> {
    let slot = p
        .bus
        .slot(who.session_id, STREAMS_PER_SESSION)
        .ok_or(AppError::TooMany {
            rule: Rule("streams-per-session"),
            retry_after_secs: SESSION_CHECK_EVERY.as_secs() as i64,
        })?;
    let live = Live {
        rx: p.bus.listen(),
        ends: p.bus.listen_ends(),
        check: tokio::time::interval_at(
            tokio::time::Instant::now() + SESSION_CHECK_EVERY,
            SESSION_CHECK_EVERY,
        ),
        p,
        who,
        lang,
        _slot: slot,
    };
    let stream = futures::stream::unfold(live, |mut live| async move {
        let sse = live.next().await?;
        Some((Ok(sse), live))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// A stream closes when its session ends: at once when it ends in this
/// process (logout, password reset), else at the next periodic check.
const SESSION_CHECK_EVERY: Duration = Duration::from_secs(30);
/// Tabs one session may keep streaming at once.
const STREAMS_PER_SESSION: usize = 4;

struct Live {
    rx: tokio::sync::broadcast::Receiver<std::sync::Arc<sep_platform::events::Event>>,
    ends: tokio::sync::broadcast::Receiver<Uuid>,
    check: tokio::time::Interval,
    p: Platform,
    who: Principal,
    lang: Lang,
    _slot: sep_platform::events::Slot,
}

impl Live {
    /// The next event for this reader; `None` closes the stream.
    async fn next(&mut self) -> Option<SseEvent> {
        let user = self.who.user_id;
        loop {
            tokio::select! {
                ended = self.ends.recv() => match ended {
                    Ok(id) if id == self.who.session_id || id == user => return None,
                    Ok(_) | Err(RecvError::Lagged(_)) => {
                        if !self.alive().await {
                            return None;
                        }
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = self.check.tick() => {
                    if !self.alive().await {
                        return None;
                    }
                }
                received = self.rx.recv() => match received {
                    Ok(event) if event.audience.contains(&user) => {
                        let mut data = event.payload.clone();
                        if let Some(state) = data["state"].as_str() {
                            data["state_label"] = self.lang.t(&format!("state-{state}")).into();
                        }
                        data["unread"] =
                            service::unread_count(&self.p, user).await.unwrap_or(0).into();
                        return Some(
                            SseEvent::default()
                                .event(event.kind.clone())
                                .id(event.id.to_string())
                                .data(data.to_string()),
                        );
                    }
                    Ok(_) => continue,
                    Err(RecvError::Lagged(_)) => {
                        return Some(SseEvent::default().event("reload").data("{}"));
                    }
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    }

    async fn alive(&self) -> bool {
        sep_identity::service::session_alive(&self.p, self.who.session_id)
            .await
            .unwrap_or(false)
    }
}
