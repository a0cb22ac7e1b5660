use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash the first record links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a context says happened.
pub struct Entry<'a> {
    pub actor: Option<Uuid>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: String,
    pub ip: &'a str,
    pub result: &'a str,
    pub details: serde_json::Value,
}

/// A stored record, as read back.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub seq: i64,
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub ip: String,
    pub result: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// SHA-256 over the previous hash and every field, each length-prefixed so that
/// no two different records can serialise to the same bytes.
pub fn chain_hash(r: &Record) -> String {
    let mut h = Sha256::new();
    let at = r.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let actor = r.actor_id.map(|a| a.to_string()).unwrap_or_default();
    let seq = r.seq.to_string();
    let id = r.id.to_string();
    for field in [
        &r.prev_hash,
        &seq,
        &id,
        &at,
        &actor,
        &r.action,
        &r.object_type,
        &r.object_id,
        &r.ip,
        &r.result,
        &r.details,
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}
