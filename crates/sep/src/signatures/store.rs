//! The trust list and the agencies' signing certificates.

use crate::platform::db::entity;
use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryOrder};

entity!(anchor, "trust_anchors", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub fingerprint: String,
    pub name: String,
    pub certificate: String,
    pub key: Option<String>,
    pub not_after: DateTimeUtc,
    pub added_at: DateTimeUtc,
    pub removed_at: Option<DateTimeUtc>,
});

entity!(issuer, "issuer_certificates", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_code: String,
    pub certificate: String,
    pub key: String,
    pub fingerprint: String,
    pub issuer_fingerprint: String,
    pub not_before: DateTimeUtc,
    pub not_after: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
});

/// The anchors in force, oldest first.
pub async fn anchors(db: &impl ConnectionTrait) -> Result<Vec<anchor::Model>, DbErr> {
    anchor::Entity::find()
        .filter(anchor::Column::RemovedAt.is_null())
        .order_by_asc(anchor::Column::AddedAt)
        .order_by_asc(anchor::Column::Fingerprint)
        .all(db)
        .await
}

pub async fn insert_anchor(db: &impl ConnectionTrait, row: anchor::Model) -> Result<(), DbErr> {
    anchor::ActiveModel::from(row).insert(db).await.map(|_| ())
}

pub async fn issuer(
    db: &impl ConnectionTrait,
    agency: &str,
) -> Result<Option<issuer::Model>, DbErr> {
    issuer::Entity::find_by_id(agency.to_string()).one(db).await
}

pub async fn insert_issuer(db: &impl ConnectionTrait, row: issuer::Model) -> Result<(), DbErr> {
    issuer::ActiveModel::from(row).insert(db).await.map(|_| ())
}

pub async fn issuer_by_fingerprint(
    db: &impl ConnectionTrait,
    fingerprint: &str,
) -> Result<Option<issuer::Model>, DbErr> {
    issuer::Entity::find()
        .filter(issuer::Column::Fingerprint.eq(fingerprint))
        .one(db)
        .await
}
