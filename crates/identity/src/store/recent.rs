//! Sessions as a request just found them, kept for two seconds so that a
//! person's next requests need not ask the database again (every
//! authenticated request asked for the session, the account and the roles:
//! three round trips of the seven a status read makes).
//!
//! Any change that can end a session or change what it may do (a session
//! ended, roles or agency changed, an account deleted) calls [`changed`],
//! once where the row is written and once after its transaction commits; an
//! entry read before the last call is not used, and a read that overlapped a
//! call is not kept. So on this instance a revocation takes effect at once;
//! another instance may go on trusting its own entry for at most
//! [`FRESH_FOR`]. Expiry and inactivity are still judged on every request
//! from the entry's times, by the app's clock.

use super::entities::session;
use crate::model::Role;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

pub const FRESH_FOR: Duration = Duration::from_secs(2);
/// Beyond this many sessions the lot is dropped and refilled: a bound on
/// memory however many people sign in.
const MAX_ENTRIES: usize = 100_000;

/// Counts the changes; keyed by token hashes (keyed by each instance's own
/// master key), so the entries of several apps in one process never meet.
static GENERATION: AtomicU64 = AtomicU64::new(0);
static SESSIONS: LazyLock<Mutex<HashMap<String, Recent>>> = LazyLock::new(Default::default);

#[derive(Clone)]
pub struct Recent {
    pub session: session::Model,
    pub agency: Option<String>,
    pub roles: Vec<Role>,
    generation: u64,
    at: Instant,
}

/// The generation a read starts at; hand it to [`keep`].
pub fn generation() -> u64 {
    GENERATION.load(Ordering::SeqCst)
}

/// Something that a kept session depends on changed: forget them all.
pub fn changed() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
    SESSIONS.lock().unwrap_or_else(|e| e.into_inner()).clear();
}

pub fn recent(token_hash: &str) -> Option<Recent> {
    let now = generation();
    let sessions = SESSIONS.lock().unwrap_or_else(|e| e.into_inner());
    sessions
        .get(token_hash)
        .filter(|r| r.generation == now && r.at.elapsed() < FRESH_FOR)
        .cloned()
}

/// Keeps what a read that started at `started` found, unless something
/// changed meanwhile.
pub fn keep(
    token_hash: &str,
    started: u64,
    session: session::Model,
    agency: Option<String>,
    roles: Vec<Role>,
) {
    let mut sessions = SESSIONS.lock().unwrap_or_else(|e| e.into_inner());
    if generation() != started {
        return;
    }
    if sessions.len() >= MAX_ENTRIES {
        sessions.clear();
    }
    sessions.insert(
        token_hash.to_string(),
        Recent {
            session,
            agency,
            roles,
            generation: started,
            at: Instant::now(),
        },
    );
}
