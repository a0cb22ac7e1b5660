//! The trust list and the agencies' signing certificates.

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, QueryOrder};
use sep_platform::db::entity;
use uuid::Uuid;

entity!(anchor, "trust_anchors", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub fingerprint: String,
    pub name: String,
    pub certificate: String,
    pub key: Option<String>,
    pub not_after: DateTimeUtc,
    pub added_at: DateTimeUtc,
    pub removed_at: Option<DateTimeUtc>,
    pub qualified: bool,
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

pub async fn anchor(
    db: &impl ConnectionTrait,
    fingerprint: &str,
) -> Result<Option<anchor::Model>, DbErr> {
    anchor::Entity::find_by_id(fingerprint.to_string())
        .one(db)
        .await
}

/// Adds an anchor, or puts a removed one back.
pub async fn put_anchor(db: &impl ConnectionTrait, row: anchor::Model) -> Result<(), DbErr> {
    if anchor(db, &row.fingerprint).await?.is_some() {
        anchor::ActiveModel::from(row)
            .reset_all()
            .update(db)
            .await
            .map(|_| ())
    } else {
        insert_anchor(db, row).await
    }
}

pub async fn remove_anchor(
    db: &impl ConnectionTrait,
    fingerprint: &str,
    at: DateTimeUtc,
) -> Result<(), DbErr> {
    anchor::Entity::update_many()
        .col_expr(anchor::Column::RemovedAt, Expr::value(at))
        .filter(anchor::Column::Fingerprint.eq(fingerprint))
        .exec(db)
        .await
        .map(|_| ())
}

entity!(user_cert, "user_certificates", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub fingerprint: String,
    pub certificate: String,
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub anchor_fingerprint: String,
    pub level: String,
    pub not_before: DateTimeUtc,
    pub not_after: DateTimeUtc,
    pub added_at: DateTimeUtc,
    pub annulled_at: Option<DateTimeUtc>,
    pub annul_reason: Option<String>,
});

entity!(signed_act, "signed_acts", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub object_type: String,
    pub object_id: String,
    pub level: String,
    pub certificate_id: Option<Uuid>,
    pub payload_sha256: String,
    pub signature: Option<String>,
    pub signed_at: DateTimeUtc,
});

pub async fn insert_user_cert(
    db: &impl ConnectionTrait,
    row: user_cert::Model,
) -> Result<(), DbErr> {
    user_cert::ActiveModel::from(row)
        .insert(db)
        .await
        .map(|_| ())
}

pub async fn user_cert(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<user_cert::Model>, DbErr> {
    user_cert::Entity::find_by_id(id).one(db).await
}

pub async fn user_cert_by_fingerprint(
    db: &impl ConnectionTrait,
    owner: Uuid,
    fingerprint: &str,
) -> Result<Option<user_cert::Model>, DbErr> {
    user_cert::Entity::find()
        .filter(user_cert::Column::OwnerId.eq(owner))
        .filter(user_cert::Column::Fingerprint.eq(fingerprint))
        .one(db)
        .await
}

pub async fn user_certs(
    db: &impl ConnectionTrait,
    owner: Uuid,
) -> Result<Vec<user_cert::Model>, DbErr> {
    user_cert::Entity::find()
        .filter(user_cert::Column::OwnerId.eq(owner))
        .order_by_desc(user_cert::Column::AddedAt)
        .all(db)
        .await
}

/// Annuls once; false if it already was.
pub async fn annul_user_cert(
    db: &impl ConnectionTrait,
    id: Uuid,
    at: DateTimeUtc,
    reason: Option<String>,
) -> Result<bool, DbErr> {
    let r = user_cert::Entity::update_many()
        .col_expr(user_cert::Column::AnnulledAt, Expr::value(at))
        .col_expr(user_cert::Column::AnnulReason, Expr::value(reason))
        .filter(user_cert::Column::Id.eq(id))
        .filter(user_cert::Column::AnnulledAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn insert_act(db: &impl ConnectionTrait, row: signed_act::Model) -> Result<(), DbErr> {
    signed_act::ActiveModel::from(row)
        .insert(db)
        .await
        .map(|_| ())
}

pub async fn acts_of(
    db: &impl ConnectionTrait,
    object_type: &str,
    object_id: &str,
) -> Result<Vec<signed_act::Model>, DbErr> {
    signed_act::Entity::find()
        .filter(signed_act::Column::ObjectType.eq(object_type))
        .filter(signed_act::Column::ObjectId.eq(object_id))
        .order_by_asc(signed_act::Column::SignedAt)
        .all(db)
        .await
}

pub async fn annulled_certs(db: &impl ConnectionTrait) -> Result<Vec<user_cert::Model>, DbErr> {
    user_cert::Entity::find()
        .filter(user_cert::Column::AnnulledAt.is_not_null())
        .order_by_desc(user_cert::Column::AnnulledAt)
        .all(db)
        .await
}
