//! Payment intents, the charges each pays, and receipt numbers.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ConnectionTrait, QueryOrder, QuerySelect, Set};
use sep_platform::{db::UniqueKey, db::entity};

entity!(intent, "payment_intents", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub idempotency_key: String,
    pub request_hash: String,
    pub purpose: String,
    pub method: String,
    pub card_id: Option<Uuid>,
    pub save_card: bool,
    pub amount_kopecks: i64,
    pub state: String,
    pub acquirer_payment_id: Option<String>,
    pub card_mask: Option<String>,
    pub failure: Option<String>,
    pub operation_number: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub settled_at: Option<DateTimeUtc>,
    pub version: i32,
});

entity!(intent_charge, "payment_intent_charges", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub intent_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub uin: String,
    pub amount_kopecks: i64,
});

pub const INTENT_KEY: UniqueKey = UniqueKey {
    constraint: "payment_intents_key",
    sqlite_columns: "payment_intents.owner_id, payment_intents.idempotency_key",
};

pub async fn insert_intent(db: &impl ConnectionTrait, row: intent::Model) -> Result<(), DbErr> {
    intent::ActiveModel::from(row).insert(db).await.map(|_| ())
}

pub async fn insert_intent_charge(
    db: &impl ConnectionTrait,
    intent_id: Uuid,
    uin: &str,
    amount: i64,
) -> Result<(), DbErr> {
    intent_charge::ActiveModel {
        intent_id: Set(intent_id),
        uin: Set(uin.into()),
        amount_kopecks: Set(amount),
    }
    .insert(db)
    .await
    .map(|_| ())
}

pub async fn intent(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<intent::Model>, DbErr> {
    intent::Entity::find_by_id(id).one(db).await
}

pub async fn intent_by_key(
    db: &impl ConnectionTrait,
    owner: Uuid,
    key: &str,
) -> Result<Option<intent::Model>, DbErr> {
    intent::Entity::find()
        .filter(intent::Column::OwnerId.eq(owner))
        .filter(intent::Column::IdempotencyKey.eq(key))
        .one(db)
        .await
}

pub async fn intent_charges(
    db: &impl ConnectionTrait,
    intents: Vec<Uuid>,
) -> Result<Vec<intent_charge::Model>, DbErr> {
    intent_charge::Entity::find()
        .filter(intent_charge::Column::IntentId.is_in(intents))
        .order_by_asc(intent_charge::Column::Uin)
        .all(db)
        .await
}

/// A person's payments, newest first.
pub async fn intents_of(
    db: &impl ConnectionTrait,
    owner: Uuid,
    limit: u64,
) -> Result<Vec<intent::Model>, DbErr> {
    intent::Entity::find()
        .filter(intent::Column::OwnerId.eq(owner))
        .order_by_desc(intent::Column::CreatedAt)
        .order_by_desc(intent::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The intents among `ids` (those that exist).
pub async fn intents_by_id(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<intent::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    intent::Entity::find()
        .filter(intent::Column::Id.is_in(ids))
        .all(db)
        .await
}

/// Intents in `states` untouched since `before`: what reconciliation asks about.
pub async fn stale_intents(
    db: &impl ConnectionTrait,
    states: &[&str],
    before: DateTime<Utc>,
) -> Result<Vec<intent::Model>, DbErr> {
    intent::Entity::find()
        .filter(intent::Column::State.is_in(states.iter().copied()))
        .filter(intent::Column::UpdatedAt.lte(before))
        .order_by_asc(intent::Column::UpdatedAt)
        .order_by_asc(intent::Column::Id)
        .all(db)
        .await
}

/// What a move writes besides the state.
#[derive(Default)]
pub struct Move {
    pub acquirer_payment_id: Option<String>,
    pub card_mask: Option<String>,
    pub failure: Option<String>,
    pub operation_number: Option<String>,
    pub settled_at: Option<DateTime<Utc>>,
}

/// Moves an intent from the state at `version`; `false` if someone moved it first.
pub async fn move_intent(
    db: &impl ConnectionTrait,
    id: Uuid,
    version: i32,
    to: &str,
    m: Move,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut q = intent::Entity::update_many()
        .col_expr(intent::Column::State, Expr::value(to))
        .col_expr(intent::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            intent::Column::Version,
            Expr::col(intent::Column::Version).add(1),
        );
    if let Some(v) = m.acquirer_payment_id {
        q = q.col_expr(intent::Column::AcquirerPaymentId, Expr::value(v));
    }
    if let Some(v) = m.card_mask {
        q = q.col_expr(intent::Column::CardMask, Expr::value(v));
    }
    if let Some(v) = m.failure {
        q = q.col_expr(intent::Column::Failure, Expr::value(v));
    }
    if let Some(v) = m.operation_number {
        q = q.col_expr(intent::Column::OperationNumber, Expr::value(v));
    }
    if let Some(v) = m.settled_at {
        q = q.col_expr(intent::Column::SettledAt, Expr::value(v));
    }
    let r = q
        .filter(intent::Column::Id.eq(id))
        .filter(intent::Column::Version.eq(version))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The next receipt number of `year`.
pub async fn next_operation(db: &impl ConnectionTrait, year: i32) -> Result<i64, DbErr> {
    sep_platform::db::next_in_year(db, "payment_counters", year, 1).await
}

/// A person's card top-ups that went through, newest first: where refunds go back to.
pub async fn top_ups_of(
    db: &impl ConnectionTrait,
    owner: Uuid,
) -> Result<Vec<intent::Model>, DbErr> {
    intent::Entity::find()
        .filter(intent::Column::OwnerId.eq(owner))
        .filter(intent::Column::Purpose.eq("top_up"))
        .filter(intent::Column::State.eq("succeeded"))
        .order_by_desc(intent::Column::SettledAt)
        .order_by_desc(intent::Column::Id)
        .all(db)
        .await
}
