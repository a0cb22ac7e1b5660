//! Linked cards and refunds.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, QueryOrder};
use sep_platform::db::entity;

entity!(card, "payment_cards", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    /// The acquirer's token, sealed.
    pub token: String,
    pub mask: String,
    pub brand: String,
    pub expiry_month: i16,
    pub expiry_year: i16,
    pub created_at: DateTimeUtc,
    pub removed_at: Option<DateTimeUtc>,
});

entity!(refund, "payment_refunds", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub intent_id: Uuid,
    pub amount_kopecks: i64,
    pub state: String,
    pub acquirer_refund_id: Option<String>,
    pub failure: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
});

pub async fn insert_card(db: &impl ConnectionTrait, row: card::Model) -> Result<(), DbErr> {
    card::ActiveModel::from(row).insert(db).await.map(|_| ())
}

/// A person's linked cards, oldest first.
pub async fn cards_of(db: &impl ConnectionTrait, owner: Uuid) -> Result<Vec<card::Model>, DbErr> {
    card::Entity::find()
        .filter(card::Column::OwnerId.eq(owner))
        .filter(card::Column::RemovedAt.is_null())
        .order_by_asc(card::Column::CreatedAt)
        .order_by_asc(card::Column::Id)
        .all(db)
        .await
}

pub async fn card_of(
    db: &impl ConnectionTrait,
    owner: Uuid,
    id: Uuid,
) -> Result<Option<card::Model>, DbErr> {
    card::Entity::find_by_id(id)
        .filter(card::Column::OwnerId.eq(owner))
        .filter(card::Column::RemovedAt.is_null())
        .one(db)
        .await
}

/// Unlinks a card; `false` if it was not theirs or already gone.
pub async fn remove_card(
    db: &impl ConnectionTrait,
    owner: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = card::Entity::update_many()
        .col_expr(card::Column::RemovedAt, Expr::value(now))
        .filter(card::Column::Id.eq(id))
        .filter(card::Column::OwnerId.eq(owner))
        .filter(card::Column::RemovedAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn insert_refund(db: &impl ConnectionTrait, row: refund::Model) -> Result<(), DbErr> {
    refund::ActiveModel::from(row).insert(db).await.map(|_| ())
}

/// What has been (or is being) refunded of each of these top-ups.
pub async fn refunds_of_intents(
    db: &impl ConnectionTrait,
    intents: Vec<Uuid>,
) -> Result<Vec<refund::Model>, DbErr> {
    refund::Entity::find()
        .filter(refund::Column::IntentId.is_in(intents))
        .filter(refund::Column::State.ne("failed"))
        .all(db)
        .await
}

pub async fn refund(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<refund::Model>, DbErr> {
    refund::Entity::find_by_id(id).one(db).await
}

pub async fn refunds_in_state(
    db: &impl ConnectionTrait,
    state: &str,
) -> Result<Vec<refund::Model>, DbErr> {
    refund::Entity::find()
        .filter(refund::Column::State.eq(state))
        .order_by_asc(refund::Column::CreatedAt)
        .all(db)
        .await
}

/// Ends a pending refund; `false` if it was no longer pending.
pub async fn finish_refund(
    db: &impl ConnectionTrait,
    id: Uuid,
    state: &str,
    acquirer_refund_id: Option<String>,
    failure: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = refund::Entity::update_many()
        .col_expr(refund::Column::State, Expr::value(state))
        .col_expr(
            refund::Column::AcquirerRefundId,
            Expr::value(acquirer_refund_id),
        )
        .col_expr(refund::Column::Failure, Expr::value(failure))
        .col_expr(refund::Column::UpdatedAt, Expr::value(now))
        .filter(refund::Column::Id.eq(id))
        .filter(refund::Column::State.eq("pending"))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
