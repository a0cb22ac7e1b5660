//! The sandbox SMS gateway: an SMS centre's HTTP API, as the product's
//! production SMS provider would offer one.
//!
//! - `POST /v1/messages` `{ "to": "+7…", "text": "…", "reference": "…" }` with
//!   `Authorization: Bearer <token>` accepts a message for delivery (202 and
//!   its id). The same `reference` again is the same message (200): a sender
//!   that retries after a lost answer does not make a phone ring twice.
//! - `GET /v1/messages?to=+7…` lists what was delivered to a number (the
//!   sandbox's stand-in for the handset), newest last.
//!
//! Delivered messages go to the sandbox's inbox, a JSON-lines file outside
//! the sender's storage: what the phones would show.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::Mutex;
use uuid::Uuid;

/// The longest text accepted: seven concatenated SMS of 70 Cyrillic characters.
const MAX_TEXT: usize = 490;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivered {
    pub id: Uuid,
    pub to: String,
    pub text: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

struct Inner {
    token: String,
    inbox: PathBuf,
    by_reference: Mutex<HashMap<String, Uuid>>,
    delivered: Mutex<Vec<Delivered>>,
}

#[derive(Clone)]
pub struct Gateway(Arc<Inner>);

#[derive(Deserialize)]
struct Outgoing {
    to: String,
    text: String,
    #[serde(default)]
    reference: Option<String>,
}

#[derive(Deserialize)]
struct ToQuery {
    to: Option<String>,
}

fn refuse(status: StatusCode, error: &str) -> Response {
    (status, Json(serde_json::json!({ "error": error }))).into_response()
}

impl Gateway {
    /// A gateway taking `token` from its senders and delivering into `inbox`.
    pub fn new(token: &str, inbox: PathBuf) -> Self {
        Self(Arc::new(Inner {
            token: token.to_string(),
            inbox,
            by_reference: Mutex::new(HashMap::new()),
            delivered: Mutex::new(Vec::new()),
        }))
    }

    fn authorised(&self, headers: &HeaderMap) -> bool {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        use subtle::ConstantTimeEq;
        given.as_bytes().ct_eq(self.0.token.as_bytes()).into()
    }

    pub fn router(self) -> Router {
        Router::new()
            .route("/v1/messages", post(accept).get(list))
            .with_state(self)
    }

    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        axum::serve(listener, self.router())
            .with_graceful_shutdown(shutdown)
            .await?;
        Ok(())
    }
}

async fn accept(State(g): State<Gateway>, headers: HeaderMap, body: Json<Outgoing>) -> Response {
    if !g.authorised(&headers) {
        return refuse(StatusCode::UNAUTHORIZED, "token");
    }
    let to = body.to.trim();
    let international = to.starts_with('+')
        && (8..=16).contains(&to.len())
        && to[1..].chars().all(|c| c.is_ascii_digit());
    if !international {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, "to");
    }
    if body.text.is_empty() || body.text.chars().count() > MAX_TEXT {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, "text");
    }
    let mut refs = g.0.by_reference.lock().await;
    if let Some(r) = &body.reference
        && let Some(id) = refs.get(r)
    {
        return (StatusCode::OK, Json(serde_json::json!({ "id": id }))).into_response();
    }
    let message = Delivered {
        id: Uuid::now_v7(),
        to: to.to_string(),
        text: body.text.clone(),
        at: chrono::Utc::now(),
    };
    // On the handset (the inbox) before the sender hears "accepted".
    let line = serde_json::json!({ "to": message.to, "text": message.text, "at": message.at });
    let written = async {
        if let Some(dir) = g.0.inbox.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let mut f = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&g.0.inbox)
            .await?;
        f.write_all(format!("{line}\n").as_bytes()).await?;
        f.sync_data().await
    };
    if let Err(e) = written.await {
        tracing::warn!(error = %e, "sandbox SMS inbox not written");
        return refuse(StatusCode::SERVICE_UNAVAILABLE, "inbox");
    }
    if let Some(r) = &body.reference {
        refs.insert(r.clone(), message.id);
    }
    let id = message.id;
    g.0.delivered.lock().await.push(message);
    (StatusCode::ACCEPTED, Json(serde_json::json!({ "id": id }))).into_response()
}

async fn list(State(g): State<Gateway>, headers: HeaderMap, Query(q): Query<ToQuery>) -> Response {
    if !g.authorised(&headers) {
        return refuse(StatusCode::UNAUTHORIZED, "token");
    }
    let all = g.0.delivered.lock().await;
    let shown: Vec<&Delivered> = all
        .iter()
        .filter(|m| q.to.as_deref().is_none_or(|to| m.to == to))
        .collect();
    Json(serde_json::json!(shown)).into_response()
}
