use super::Event;
use crate::db::Db;
use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryOrder, QuerySelect, Set, sea_query::Expr};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "domain_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub subject: String,
    pub audience: String,
    pub payload: String,
    pub created_at: DateTimeUtc,
    pub next_attempt_at: DateTimeUtc,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub dispatched_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

const BATCH: u64 = 100;

/// One event as it is written: kind, subject, audience, payload.
pub struct Outgoing {
    pub kind: &'static str,
    pub subject: String,
    pub audience: Vec<Uuid>,
    pub payload: serde_json::Value,
}

/// Writes events in one statement; their ids, in order.
pub async fn insert(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    events: Vec<Outgoing>,
) -> Result<Vec<Uuid>, DbErr> {
    let mut ids = Vec::with_capacity(events.len());
    let rows: Vec<ActiveModel> = events
        .into_iter()
        .map(|e| {
            let id = Uuid::now_v7();
            ids.push(id);
            ActiveModel {
                id: Set(id),
                kind: Set(e.kind.into()),
                subject: Set(e.subject),
                audience: Set(serde_json::to_string(&e.audience).expect("ids serialise")),
                payload: Set(e.payload.to_string()),
                created_at: Set(now),
                next_attempt_at: Set(now),
                attempts: Set(0),
                last_error: Set(None),
                dispatched_at: Set(None),
            }
        })
        .collect();
    crate::db::insert_all(txn, rows).await?;
    Ok(ids)
}

/// Ids of events waiting for dispatch, oldest first (UUIDv7 sorts by time).
pub async fn due(db: &Db, now: DateTime<Utc>) -> Result<Vec<Uuid>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::DispatchedAt.is_null())
        .filter(Column::NextAttemptAt.lte(now))
        .order_by_asc(Column::Id)
        .limit(BATCH)
        .into_tuple()
        .all(&**db)
        .await
}

/// Marks the events dispatched inside `txn` and returns them, oldest first,
/// leaving out any that another dispatcher got first. One statement for all:
/// the rows come back with the update. On PostgreSQL the update waits for a
/// rival's transaction and then finds nothing to take.
pub async fn take(
    txn: &impl ConnectionTrait,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Vec<Event>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut taken = Entity::update_many()
        .col_expr(Column::DispatchedAt, Expr::value(now))
        .filter(Column::Id.is_in(ids.iter().copied()))
        .filter(Column::DispatchedAt.is_null())
        .exec_with_returning(txn)
        .await?
        .into_iter()
        .map(event)
        .collect::<Result<Vec<_>, _>>()?;
    // UUIDv7 sorts by time: subscribers see a batch in the order it happened.
    taken.sort_by_key(|e| e.id);
    Ok(taken)
}

fn event(m: Model) -> Result<Event, DbErr> {
    Ok(Event {
        id: m.id,
        kind: m.kind,
        subject: m.subject,
        // A row that is not JSON is a bug to see, not an empty event to deliver.
        audience: serde_json::from_str(&m.audience)
            .map_err(|e| DbErr::Custom(format!("event {}: audience: {e}", m.id)))?,
        payload: serde_json::from_str(&m.payload)
            .map_err(|e| DbErr::Custom(format!("event {}: payload: {e}", m.id)))?,
        at: m.created_at,
    })
}

pub async fn failed(db: &Db, id: Uuid, error: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    let Some(m) = Entity::find_by_id(id).one(&**db).await? else {
        return Ok(());
    };
    let attempts = m.attempts + 1;
    let backoff = Duration::seconds(10 * 2i64.pow(attempts.clamp(0, 10) as u32));
    Entity::update_many()
        .col_expr(Column::Attempts, Expr::value(attempts))
        .col_expr(
            Column::LastError,
            Expr::value(error.chars().take(1000).collect::<String>()),
        )
        .col_expr(Column::NextAttemptAt, Expr::value(now + backoff))
        .filter(Column::Id.eq(id))
        .exec(&**db)
        .await
        .map(|_| ())
}
