//! SQL for notifications.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ConnectionTrait, PaginatorTrait, QueryOrder, QuerySelect};
use sep_platform::db::entity;

entity!(notification, "notifications", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub event_id: Uuid,
    pub payload: String,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
});

entity!(preference, "notification_preferences", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel: String,
    pub enabled: bool,
});

/// Adds the notices, leaving out any that its event already gave its person.
pub async fn insert(
    db: &impl ConnectionTrait,
    rows: Vec<notification::Model>,
) -> Result<(), DbErr> {
    sep_platform::db::insert_new(
        db,
        rows.into_iter()
            .map(notification::ActiveModel::from)
            .collect(),
        OnConflict::columns([notification::Column::EventId, notification::Column::UserId])
            .do_nothing()
            .to_owned(),
    )
    .await
}

pub async fn list(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    unread_only: bool,
    kind: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<Vec<notification::Model>, DbErr> {
    let mut q = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    if unread_only {
        q = q.filter(notification::Column::ReadAt.is_null());
    }
    if let Some(k) = kind {
        q = q.filter(notification::Column::Kind.eq(k));
    }
    q.order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await
}

pub async fn unread_count(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
}

/// Marks one (or, with `id` absent, every) unread notice of the user as read.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut q = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(notification::Column::Id.eq(id));
    }
    Ok(q.exec(db).await?.rows_affected)
}

pub async fn preferences(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<preference::Model>, DbErr> {
    preferences_of(db, vec![user_id]).await
}

/// The choices of several people in one query.
pub async fn preferences_of(
    db: &impl ConnectionTrait,
    users: Vec<Uuid>,
) -> Result<Vec<preference::Model>, DbErr> {
    preference::Entity::find()
        .filter(preference::Column::UserId.is_in(users))
        .all(db)
        .await
}

pub async fn set_preference(
    db: &impl ConnectionTrait,
    row: preference::Model,
) -> Result<(), DbErr> {
    preference::Entity::insert(preference::ActiveModel::from(row))
        .on_conflict(
            OnConflict::columns([
                preference::Column::UserId,
                preference::Column::Kind,
                preference::Column::Channel,
            ])
            .update_column(preference::Column::Enabled)
            .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map(|_| ())
}
