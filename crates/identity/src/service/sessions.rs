use super::record;
use crate::model::Role;
use crate::{store, store::session};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use sep_kernel::Rule;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

/// A session just opened: the bearer token is shown once and stored only as a keyed hash.
#[derive(Debug, Serialize)]
pub struct NewSession {
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds until the session ends whatever happens.
    pub expires_in: i64,
    /// Seconds of inactivity after which it ends earlier.
    pub idle_timeout: i64,
    pub session_id: Uuid,
}

/// Who is making a request, as proven by a live session.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub roles: Vec<Role>,
    /// The agency an officer or integrator acts for (none for everyone else).
    pub agency: Option<String>,
}

impl Principal {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Last-seen times are written at most this often, so that reading pages does not
/// turn every request into a write.
const TOUCH_EVERY_SECS: i64 = 30;

fn token_hash(p: &Platform, token: &str) -> String {
    p.secrets.mac("session-token", token.as_bytes())
}

/// The CSRF token of a session: derived, so nothing more is stored.
pub fn csrf_token(p: &Platform, session_id: Uuid) -> String {
    p.secrets.mac("csrf", session_id.as_bytes())[..32].to_string()
}

pub(super) async fn open_session(
    p: &Platform,
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    methods: &str,
    client: &Client,
) -> Result<NewSession> {
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let id = Uuid::now_v7();
    let now = p.now();
    let max = Duration::hours(p.config.session_max_hours);
    store::accounts::insert_session(
        txn,
        session::Model {
            id,
            user_id,
            token_hash: token_hash(p, &token),
            methods: methods.into(),
            ip: client.ip.clone(),
            user_agent: client.user_agent.clone(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + max,
            ended_at: None,
            end_reason: None,
        },
    )
    .await?;
    Ok(NewSession {
        access_token: token,
        token_type: "Bearer",
        expires_in: max.num_seconds(),
        idle_timeout: p.config.session_idle_minutes * 60,
        session_id: id,
    })
}

/// Checks a bearer token or cookie value; ends a session that has idled or outlived its limit.
pub async fn authenticate(p: &Platform, token: &str) -> Result<Principal> {
    let now = p.now();
    let hash = token_hash(p, token);
    // A session found a moment ago is trusted as it was found while it
    // needs neither an end nor a touch; those go to the database as always.
    if let Some(r) = store::recent::recent(&hash)
        && now < r.session.expires_at
        && now - r.session.last_seen_at < Duration::seconds(TOUCH_EVERY_SECS)
    {
        return Ok(Principal {
            user_id: r.session.user_id,
            session_id: r.session.id,
            roles: r.roles,
            agency: r.agency,
        });
    }
    let started = store::recent::generation();
    let (mut s, u) = store::session_and_user_by_token_hash(&*p.db, &hash)
        .await?
        .ok_or(AppError::Unauthorized(Rule("session-required")))?;
    if s.ended_at.is_some() {
        return Err(AppError::Unauthorized(Rule("session-ended")));
    }
    let idle = Duration::minutes(p.config.session_idle_minutes);
    let reason = if now >= s.expires_at {
        Some("expired")
    } else if now - s.last_seen_at >= idle {
        Some("idle")
    } else {
        None
    };
    if let Some(reason) = reason {
        store::end_session(&*p.db, s.id, reason, now).await?;
        return Err(AppError::Unauthorized(Rule("session-expired")));
    }
    if u.status != "active" {
        store::end_session(&*p.db, s.id, "blocked", now).await?;
        return Err(AppError::Unauthorized(Rule("account-blocked")));
    }
    if now - s.last_seen_at >= Duration::seconds(TOUCH_EVERY_SECS) {
        let _gate = p.db.gate().await;
        store::touch_session(&*p.db, s.id, now).await?;
        s.last_seen_at = now;
    }
    let roles = store::roles_of(&*p.db, s.user_id).await?;
    let principal = Principal {
        user_id: s.user_id,
        session_id: s.id,
        roles: roles.clone(),
        agency: u.agency_code.clone(),
    };
    store::recent::keep(&hash, started, s, u.agency_code, roles);
    Ok(principal)
}

#[derive(Debug, Serialize)]
pub struct SessionView {
    pub id: Uuid,
    pub current: bool,
    pub ip: String,
    pub user_agent: String,
    pub methods: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn list_sessions(p: &Platform, who: &Principal) -> Result<Vec<SessionView>> {
    let now = p.now();
    let idle = Duration::minutes(p.config.session_idle_minutes);
    Ok(store::active_sessions(&*p.db, who.user_id, now)
        .await?
        .into_iter()
        .filter(|s| now - s.last_seen_at < idle)
        .map(|s| SessionView {
            id: s.id,
            current: s.id == who.session_id,
            ip: s.ip,
            user_agent: s.user_agent,
            methods: s.methods,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
        })
        .collect())
}

/// Ends one of the caller's own sessions (logout when it is the current one).
/// Another user's session id is "not found", so ids cannot be probed.
pub async fn end_session(
    p: &Platform,
    client: &Client,
    who: &Principal,
    session_id: Uuid,
) -> Result<()> {
    let txn = p.db.begin().await?;
    match store::session_by_id(&*txn, session_id).await? {
        Some(s) if s.user_id == who.user_id => {
            let reason = if s.id == who.session_id {
                "logout"
            } else {
                "revoked"
            };
            if !store::end_session(&*txn, s.id, reason, p.now()).await? {
                return Err(AppError::NotFound);
            }
            record(
                p,
                &*txn,
                client,
                Some(who.user_id),
                "identity.session.end",
                ("session", s.id.to_string()),
                "ok",
                json!({ "reason": reason }),
            )
            .await?;
            txn.commit().await?;
            store::recent::changed();
            p.bus.session_ended(s.id);
            Ok(())
        }
        _ => Err(AppError::NotFound),
    }
}

/// Whether a session may still be used, without counting this as activity:
/// a live stream asks this periodically and closes when it is no longer so.
pub async fn session_alive(p: &Platform, session_id: Uuid) -> Result<bool> {
    let now = p.now();
    let Some(s) = store::session_by_id(&*p.db, session_id).await? else {
        return Ok(false);
    };
    let idle = Duration::minutes(p.config.session_idle_minutes);
    if s.ended_at.is_some() || now >= s.expires_at || now - s.last_seen_at >= idle {
        return Ok(false);
    }
    Ok(store::user_by_id(&*p.db, s.user_id)
        .await?
        .is_some_and(|u| u.status == "active"))
}

#[derive(Debug, Serialize)]
pub struct LoginEventView {
    pub at: DateTime<Utc>,
    pub ip: String,
    pub user_agent: String,
    pub methods: String,
    pub result: String,
}

pub async fn login_journal(p: &Platform, user_id: Uuid) -> Result<Vec<LoginEventView>> {
    Ok(store::login_journal(&*p.db, user_id, 100)
        .await?
        .into_iter()
        .map(|e| LoginEventView {
            at: e.at,
            ip: e.ip,
            user_agent: e.user_agent,
            methods: e.methods,
            result: e.result,
        })
        .collect())
}
