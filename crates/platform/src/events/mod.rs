//! Domain events through a transactional outbox. A state change publishes its
//! event in its own transaction ([`publish`]); the dispatcher then hands each
//! event, exactly once, to the subscribers (notifications, …) inside one
//! transaction that also marks it dispatched, and finally to live listeners
//! (server-sent events) of this instance. A crash between commit and dispatch
//! loses nothing: the periodic sweep dispatches whatever is left.

pub mod migration;
mod store;

use super::Platform;
use super::db::Txn;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::broadcast;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: Uuid,
    /// `application.state`, `application.assigned`, …
    pub kind: String,
    /// The object it is about, e.g. an application id.
    pub subject: String,
    /// Who the event concerns: only they hear it live.
    #[serde(skip)]
    pub audience: Vec<Uuid>,
    pub payload: Value,
    pub at: DateTime<Utc>,
}

/// A domain event: a Rust type that its producer owns (in its crate's
/// `events` module) and its consumers import. Stored as JSON with its
/// version; a reader refuses a version or a shape it does not know, loudly,
/// so that a renamed field fails the dispatch (and is retried and logged)
/// instead of reading as empty.
pub trait DomainEvent: Serialize + serde::de::DeserializeOwned {
    /// The kinds this type is published under (`application.state`, …).
    const KINDS: &'static [&'static str];
    /// Raised when a field changes meaning or goes away.
    const VERSION: u32;
    /// Which of [`Self::KINDS`] this value is.
    fn kind(&self) -> &'static str {
        Self::KINDS[0]
    }
    /// The object it is about, e.g. an application id.
    fn subject(&self) -> String;
    /// Who hears it live.
    fn audience(&self) -> Vec<Uuid>;
}

/// Writes `event` inside the caller's transaction (the outbox).
pub async fn publish<E: DomainEvent>(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    event: &E,
) -> Result<Uuid, DbErr> {
    Ok(publish_all(txn, now, std::slice::from_ref(event)).await?[0])
}

/// Several events of one type in one statement (a change of several steps).
pub async fn publish_all<E: DomainEvent>(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    events: &[E],
) -> Result<Vec<Uuid>, DbErr> {
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        let mut payload =
            serde_json::to_value(event).map_err(|e| DbErr::Custom(format!("event: {e}")))?;
        let Value::Object(fields) = &mut payload else {
            return Err(DbErr::Custom("an event is a JSON object".into()));
        };
        fields.insert(VERSION_FIELD.into(), E::VERSION.into());
        rows.push(store::Outgoing {
            kind: event.kind(),
            subject: event.subject(),
            audience: event.audience(),
            payload,
        });
    }
    store::insert(txn, now, rows).await
}

/// The payload field that carries the event type's version.
const VERSION_FIELD: &str = "v";

/// Events dispatched in one transaction at most: enough to amortise it, few
/// enough that a submission waiting at SQLite's write gate is not kept long.
const TOGETHER: usize = 32;

impl Event {
    /// This event as `E`, if it is of one of `E`'s kinds; an error if it is
    /// but its version or shape is not `E`'s.
    pub fn read<E: DomainEvent>(&self) -> anyhow::Result<Option<E>> {
        if !E::KINDS.contains(&self.kind.as_str()) {
            return Ok(None);
        }
        // Events written before versions were recorded are version 1.
        let version = match self.payload.get(VERSION_FIELD) {
            None => Some(1),
            Some(v) => v.as_u64(),
        };
        if version != Some(u64::from(E::VERSION)) {
            anyhow::bail!(
                "event {} ({}): version {version:?}, this build reads {}",
                self.id,
                self.kind,
                E::VERSION
            );
        }
        E::deserialize(&self.payload)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("event {} ({}): {e}", self.id, self.kind))
    }
}

/// A subscriber that acts on events as part of the dispatch transaction, so
/// its effects and the "dispatched" mark commit together.
#[async_trait::async_trait]
pub trait Subscriber: Send + Sync {
    async fn handle(&self, _p: &Platform, _txn: &Txn, _event: &Event) -> anyhow::Result<()> {
        Ok(())
    }

    /// After the dispatch transaction committed: where work that needs its
    /// own transaction starts (spawned — the dispatcher holds its turn).
    /// What `handle` wrote is visible by now.
    async fn committed(&self, _p: &Platform, _event: &Event) {}

    /// [`Self::handle`] for a batch that commits together, in order. A
    /// subscriber overrides it to read and write for the whole batch at
    /// once; an error keeps none of the batch.
    async fn handle_all(&self, p: &Platform, txn: &Txn, events: &[Event]) -> anyhow::Result<()> {
        for event in events {
            self.handle(p, txn, event).await?;
        }
        Ok(())
    }

    /// [`Self::committed`] for a batch that committed together.
    async fn committed_all(&self, p: &Platform, events: &[Event]) {
        for event in events {
            self.committed(p, event).await;
        }
    }
}

#[derive(Clone)]
pub struct Bus {
    live: broadcast::Sender<Arc<Event>>,
    subscribers: Arc<Vec<Arc<dyn Subscriber>>>,
    /// One drain at a time in this process: many requests finishing at once
    /// would otherwise all scan and race for the same events. A request that
    /// waits here finds its event already dispatched by the drain before it.
    draining: Arc<tokio::sync::Mutex<()>>,
    /// Wakes the follow-up worker: a commit left events for it.
    wake: Arc<tokio::sync::Notify>,
    /// Sessions that ended in this process, for its live listeners to close
    /// at once (other instances' listeners find out by their periodic check).
    ended: broadcast::Sender<Uuid>,
    /// Live listeners open per key (a session), to cap them.
    open: Arc<std::sync::Mutex<std::collections::HashMap<Uuid, usize>>>,
}

/// A live listener's place, given back when it is dropped.
pub struct Slot {
    key: Uuid,
    open: Arc<std::sync::Mutex<std::collections::HashMap<Uuid, usize>>>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// Live listeners that fall this far behind miss events and reload instead.
const LIVE_BUFFER: usize = 1024;

impl Bus {
    pub fn new(subscribers: Vec<Arc<dyn Subscriber>>) -> Self {
        Self {
            live: broadcast::channel(LIVE_BUFFER).0,
            subscribers: Arc::new(subscribers),
            draining: Arc::new(tokio::sync::Mutex::new(())),
            wake: Arc::default(),
            ended: broadcast::channel(LIVE_BUFFER).0,
            open: Arc::default(),
        }
    }

    pub fn listen(&self) -> broadcast::Receiver<Arc<Event>> {
        self.live.subscribe()
    }

    /// A place for one more live listener under `key`, unless `max` are open.
    pub fn slot(&self, key: Uuid, max: usize) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(key).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot {
            key,
            open: self.open.clone(),
        })
    }

    /// Tells this process's live listeners that a session ended — or, given a
    /// user's id, that all of that user's sessions did.
    pub fn session_ended(&self, session_id: Uuid) {
        let _ = self.ended.send(session_id);
    }

    pub fn listen_ends(&self) -> broadcast::Receiver<Uuid> {
        self.ended.subscribe()
    }
}

impl Platform {
    /// Dispatches every event that is due; returns how many. Safe to run on
    /// many tasks and instances at once: each event is taken by one.
    pub async fn dispatch_events(&self) -> anyhow::Result<usize> {
        let _turn = self.bus.draining.lock().await;
        let mut done = 0;
        let due = store::due(&self.db, self.now()).await?;
        for batch in due.chunks(TOGETHER) {
            match self.dispatch_together(batch).await? {
                Some(n) => done += n,
                // One handler refused: each event again on its own, so the
                // others go through and only that one waits for its retry.
                None => {
                    for id in batch {
                        done += self.dispatch_one(*id).await?;
                    }
                }
            }
        }
        Ok(done)
    }

    /// Several events in one transaction: on SQLite every transaction is a
    /// turn at the write gate and two more round trips, which under a stream
    /// of submissions cost more than the events' own work. `None` (and
    /// nothing kept) if any handler refused.
    async fn dispatch_together(&self, ids: &[Uuid]) -> anyhow::Result<Option<usize>> {
        let txn = self.db.begin().await?;
        let taken = store::take(&*txn, ids, self.now()).await?;
        for s in self.bus.subscribers.iter() {
            if s.handle_all(self, &txn, &taken).await.is_err() {
                return Ok(None);
            }
        }
        txn.commit().await?;
        let n = taken.len();
        self.delivered(taken).await;
        Ok(Some(n))
    }

    /// After events' transaction committed: their subscribers' follow-up,
    /// then the live streams.
    async fn delivered(&self, events: Vec<Event>) {
        for s in self.bus.subscribers.iter() {
            s.committed_all(self, &events).await;
        }
        for event in events {
            let _ = self.bus.live.send(Arc::new(event));
        }
    }

    async fn dispatch_one(&self, id: Uuid) -> anyhow::Result<usize> {
        let txn = self.db.begin().await?;
        let Some(event) = store::take(&*txn, &[id], self.now()).await?.pop() else {
            return Ok(0);
        };
        for s in self.bus.subscribers.iter() {
            if let Err(e) = s.handle_all(self, &txn, std::slice::from_ref(&event)).await {
                drop(txn);
                tracing::warn!(event = %id, error = %e, "event dispatch failed; will retry");
                let _gate = self.db.gate().await;
                store::failed(&self.db, id, &e.to_string(), self.now()).await?;
                return Ok(0);
            }
        }
        txn.commit().await?;
        self.delivered(vec![event]).await;
        Ok(1)
    }

    /// After a commit whose events can follow it (routing, notices, mail):
    /// wakes the follow-up worker and returns at once, so the request
    /// answers without doing their work. Wakes coalesce: one pass takes all
    /// that is due. What a crash loses here the sweep finds in the outbox.
    pub fn follow_up(&self) {
        self.bus.wake.notify_one();
    }

    /// The follow-up worker's loop (one per instance): each wake dispatches
    /// events until none is due — those a subscriber's work published
    /// included — then sends the messages they queued.
    pub async fn follow_up_forever(&self) {
        loop {
            self.bus.wake.notified().await;
            self.follow_up_now().await;
        }
    }

    /// Dispatches until no event is due, then sends a round of the queued
    /// messages; again while rounds come back full, so that a backlog of
    /// messages drains without starving the events behind it.
    pub async fn follow_up_now(&self) {
        loop {
            loop {
                match self.dispatch_events().await {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "event dispatch deferred");
                        break;
                    }
                }
            }
            if !self.flush_messages().await {
                break;
            }
        }
    }

    /// After a commit that published events: dispatch now, so that people see
    /// the change at once; a failure is the sweep's to retry, not the caller's.
    pub async fn after_commit(&self) {
        if let Err(e) = self.dispatch_events().await {
            tracing::warn!(error = %e, "event dispatch deferred");
        }
        self.flush_messages().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    struct Rang {
        bell: Uuid,
        times: u32,
    }

    impl DomainEvent for Rang {
        const KINDS: &'static [&'static str] = &["bell.rang"];
        const VERSION: u32 = 2;
        fn subject(&self) -> String {
            self.bell.to_string()
        }
        fn audience(&self) -> Vec<Uuid> {
            Vec::new()
        }
    }

    fn event(kind: &str, payload: Value) -> Event {
        Event {
            id: Uuid::nil(),
            kind: kind.into(),
            subject: String::new(),
            audience: Vec::new(),
            payload,
            at: DateTime::<Utc>::MIN_UTC,
        }
    }

    #[test]
    fn an_event_reads_back_as_its_type_and_refuses_what_it_does_not_know() {
        let bell = Uuid::now_v7();
        let ok = event(
            "bell.rang",
            serde_json::json!({"bell": bell, "times": 3, "v": 2}),
        );
        assert_eq!(ok.read::<Rang>().unwrap(), Some(Rang { bell, times: 3 }));
        let other = event("door.opened", serde_json::json!({}));
        assert!(other.read::<Rang>().unwrap().is_none());
        let renamed = event(
            "bell.rang",
            serde_json::json!({"bell": bell, "count": 3, "v": 2}),
        );
        assert!(
            renamed.read::<Rang>().is_err(),
            "a renamed field is an error"
        );
        let newer = event(
            "bell.rang",
            serde_json::json!({"bell": bell, "times": 3, "v": 3}),
        );
        assert!(
            newer.read::<Rang>().is_err(),
            "an unknown version is an error"
        );
    }
}
