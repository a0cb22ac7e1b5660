use super::model::{Entry, GENESIS, Record, chain_hash};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use futures::TryStreamExt;
use sea_orm::entity::prelude::*;
use sea_orm::{
    ConnectionTrait, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};

pub mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub id: Uuid,
        pub at: DateTimeUtc,
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

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod head {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_head")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub seq: i64,
        pub hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

impl From<event::Model> for Record {
    fn from(m: event::Model) -> Self {
        Record {
            seq: m.seq,
            id: m.id,
            at: m.at,
            actor_id: m.actor_id,
            action: m.action,
            object_type: m.object_type,
            object_id: m.object_id,
            ip: m.ip,
            result: m.result,
            details: m.details,
            prev_hash: m.prev_hash,
            hash: m.hash,
        }
    }
}

/// Appends one record inside the caller's transaction.
pub async fn append(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    entry: Entry<'_>,
) -> Result<i64, DbErr> {
    append_all(txn, now, vec![entry]).await
}

/// Appends several records in three statements, whatever their number: a
/// change of several steps (checked, then sent for payment) costs one move
/// of the head, not one per step. Returns the last record's number (0 for
/// no records, which touch nothing).
pub async fn append_all(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    entries: Vec<Entry<'_>>,
) -> Result<i64, DbErr> {
    if entries.is_empty() {
        return Ok(0);
    }
    let n = entries.len() as i64;
    // Moving the head first takes its row lock on PostgreSQL, so concurrent
    // appenders queue here instead of forking the chain.
    let h = head::Entity::update_many()
        .col_expr(head::Column::Seq, Expr::col(head::Column::Seq).add(n))
        .filter(head::Column::Id.eq(1))
        .exec_with_returning(txn)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    // Both engines keep microseconds; hashing what is stored keeps the chain verifiable.
    let at = now
        .duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or(now);
    let mut prev_hash = h.hash;
    let mut rows = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let mut record = Record {
            seq: h.seq - n + 1 + i as i64,
            id: Uuid::now_v7(),
            at,
            actor_id: entry.actor,
            action: entry.action.into(),
            object_type: entry.object_type.into(),
            object_id: entry.object_id,
            ip: entry.ip.into(),
            result: entry.result.into(),
            details: entry.details.to_string(),
            prev_hash: prev_hash.clone(),
            hash: String::new(),
        };
        record.hash = chain_hash(&record);
        prev_hash = record.hash.clone();
        rows.push(event::ActiveModel {
            seq: Set(record.seq),
            id: Set(record.id),
            at: Set(record.at),
            actor_id: Set(record.actor_id),
            action: Set(record.action),
            object_type: Set(record.object_type),
            object_id: Set(record.object_id),
            ip: Set(record.ip),
            result: Set(record.result),
            details: Set(record.details),
            prev_hash: Set(record.prev_hash),
            hash: Set(record.hash),
        });
    }
    head::Entity::update_many()
        .col_expr(head::Column::Hash, Expr::value(prev_hash))
        .filter(head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    sep_platform::db::insert_all(txn, rows).await?;
    Ok(h.seq)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        records: i64,
    },
    /// The first record that does not fit, and why.
    Broken {
        seq: i64,
        reason: &'static str,
    },
}

/// Walks the whole chain in order. Streams, so a long journal does not fill memory.
pub async fn verify(db: &sea_orm::DatabaseConnection) -> Result<Verdict, DbErr> {
    let mut stream = event::Entity::find()
        .order_by_asc(event::Column::Seq)
        .stream(db)
        .await?;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_string();
    while let Some(row) = stream.try_next().await? {
        let r = Record::from(row);
        if r.seq != expected_seq {
            return Ok(Verdict::Broken {
                seq: expected_seq,
                reason: "missing",
            });
        }
        if r.prev_hash != prev {
            return Ok(Verdict::Broken {
                seq: r.seq,
                reason: "link",
            });
        }
        if chain_hash(&r) != r.hash {
            return Ok(Verdict::Broken {
                seq: r.seq,
                reason: "altered",
            });
        }
        prev = r.hash;
        expected_seq += 1;
    }
    drop(stream);
    let h = head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    let last = expected_seq - 1;
    if h.seq != last || h.hash != prev {
        // Rows at the end were removed (or the head was edited).
        return Ok(Verdict::Broken {
            seq: last + 1,
            reason: "truncated",
        });
    }
    Ok(Verdict::Intact { records: last })
}

/// The records an actor made, newest first, a page at a time.
pub async fn list_for_actor(
    db: &impl ConnectionTrait,
    actor: Uuid,
    before_seq: Option<i64>,
    limit: u64,
) -> Result<Vec<Record>, DbErr> {
    let mut q = event::Entity::find().filter(event::Column::ActorId.eq(actor));
    if let Some(b) = before_seq {
        q = q.filter(event::Column::Seq.lt(b));
    }
    Ok(q.order_by_desc(event::Column::Seq)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Record::from)
        .collect())
}
