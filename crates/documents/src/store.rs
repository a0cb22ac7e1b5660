//! Issued documents, their yearly numbers and postal orders.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, QueryOrder, QuerySelect};
use sep_platform::{db::UniqueKey, db::entity};
use uuid::Uuid;

entity!(document, "documents", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub number: String,
    pub kind: String,
    pub title: String,
    pub agency_code: String,
    pub order_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    pub state: String,
    pub token: String,
    pub requested_at: DateTimeUtc,
    pub issued_at: Option<DateTimeUtc>,
    pub sha256: Option<String>,
    pub streebog: Option<String>,
    pub size_bytes: Option<i64>,
    pub signature: Option<String>,
    pub signer_fingerprint: Option<String>,
    pub holder_masked: Option<String>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_reason: Option<String>,
});

entity!(postal, "postal_orders", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub document_id: Uuid,
    pub owner_id: Uuid,
    pub delivery: String,
    pub state: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
});

/// One postal order per document (the column's own unique constraint).
pub const POSTAL_KEY: UniqueKey = UniqueKey {
    constraint: "postal_orders_document_id_key",
    sqlite_columns: "postal_orders.document_id",
};

pub const PENDING: &str = "pending";
pub const ISSUED: &str = "issued";

/// The next document number of `year`, inside the caller's transaction.
pub async fn next_number(txn: &impl ConnectionTrait, year: i32) -> Result<i64, DbErr> {
    sep_platform::db::next_in_year(txn, "document_counters", year, 1).await
}

pub async fn insert(db: &impl ConnectionTrait, row: document::Model) -> Result<(), DbErr> {
    document::ActiveModel::from(row)
        .insert(db)
        .await
        .map(|_| ())
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<document::Model>, DbErr> {
    document::Entity::find_by_id(id).one(db).await
}

pub async fn by_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<document::Model>, DbErr> {
    document::Entity::find()
        .filter(document::Column::Token.eq(token))
        .one(db)
        .await
}

/// Issued documents whose bytes have this SHA-256 or Streebog digest.
pub async fn by_digest(
    db: &impl ConnectionTrait,
    sha256: Option<&str>,
    streebog: Option<&str>,
) -> Result<Option<document::Model>, DbErr> {
    let mut q = document::Entity::find().filter(document::Column::State.eq(ISSUED));
    q = match (sha256, streebog) {
        (Some(s), _) => q.filter(document::Column::Sha256.eq(s)),
        (None, Some(g)) => q.filter(document::Column::Streebog.eq(g)),
        (None, None) => return Ok(None),
    };
    q.one(db).await
}

pub async fn by_application(
    db: &impl ConnectionTrait,
    application: Uuid,
    kind: &str,
) -> Result<Option<document::Model>, DbErr> {
    document::Entity::find()
        .filter(document::Column::ApplicationId.eq(application))
        .filter(document::Column::Kind.eq(kind))
        .one(db)
        .await
}

/// What the owner's list is narrowed by.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub kind: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub revoked: Option<bool>,
}

/// The owner's documents, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    owner: Uuid,
    f: &Filter,
) -> Result<Vec<document::Model>, DbErr> {
    let mut q = document::Entity::find().filter(document::Column::OwnerId.eq(owner));
    if let Some(k) = &f.kind {
        q = q.filter(document::Column::Kind.eq(k.as_str()));
    }
    if let Some(from) = f.from {
        q = q.filter(document::Column::RequestedAt.gte(from));
    }
    if let Some(until) = f.until {
        q = q.filter(document::Column::RequestedAt.lt(until));
    }
    match f.revoked {
        Some(true) => q = q.filter(document::Column::RevokedAt.is_not_null()),
        Some(false) => q = q.filter(document::Column::RevokedAt.is_null()),
        None => {}
    }
    q.order_by_desc(document::Column::RequestedAt)
        .order_by_desc(document::Column::Number)
        .all(db)
        .await
}

/// Documents ordered but not yet issued, oldest first.
pub async fn pending(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Uuid>, DbErr> {
    document::Entity::find()
        .select_only()
        .column(document::Column::Id)
        .filter(document::Column::State.eq(PENDING))
        .filter(document::Column::RequestedAt.lte(before))
        .order_by_asc(document::Column::RequestedAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// What issuing fills in.
pub struct Issue {
    pub at: DateTime<Utc>,
    pub sha256: String,
    pub streebog: String,
    pub size_bytes: i64,
    pub signature: String,
    pub signer_fingerprint: String,
    pub holder_masked: String,
}

/// Marks a pending document issued; false when another worker was first.
pub async fn mark_issued(db: &impl ConnectionTrait, id: Uuid, i: Issue) -> Result<bool, DbErr> {
    let r = document::Entity::update_many()
        .col_expr(document::Column::State, Expr::value(ISSUED))
        .col_expr(document::Column::IssuedAt, Expr::value(i.at))
        .col_expr(document::Column::Sha256, Expr::value(i.sha256))
        .col_expr(document::Column::Streebog, Expr::value(i.streebog))
        .col_expr(document::Column::SizeBytes, Expr::value(i.size_bytes))
        .col_expr(document::Column::Signature, Expr::value(i.signature))
        .col_expr(
            document::Column::SignerFingerprint,
            Expr::value(i.signer_fingerprint),
        )
        .col_expr(document::Column::HolderMasked, Expr::value(i.holder_masked))
        .filter(document::Column::Id.eq(id))
        .filter(document::Column::State.eq(PENDING))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Revokes an issued document once; false if it already was, or is not issued.
pub async fn revoke(
    db: &impl ConnectionTrait,
    id: Uuid,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<bool, DbErr> {
    let r = document::Entity::update_many()
        .col_expr(document::Column::RevokedAt, Expr::value(at))
        .col_expr(document::Column::RevokedReason, Expr::value(reason))
        .filter(document::Column::Id.eq(id))
        .filter(document::Column::State.eq(ISSUED))
        .filter(document::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn insert_postal(db: &impl ConnectionTrait, row: postal::Model) -> Result<(), DbErr> {
    postal::ActiveModel::from(row).insert(db).await.map(|_| ())
}

pub async fn postal_of(
    db: &impl ConnectionTrait,
    documents: Vec<Uuid>,
) -> Result<Vec<postal::Model>, DbErr> {
    postal::Entity::find()
        .filter(postal::Column::DocumentId.is_in(documents))
        .all(db)
        .await
}

pub async fn by_number(
    db: &impl ConnectionTrait,
    number: &str,
) -> Result<Option<document::Model>, DbErr> {
    document::Entity::find()
        .filter(document::Column::Number.eq(number))
        .one(db)
        .await
}

pub async fn postal_orders(
    db: &impl ConnectionTrait,
    state: Option<&str>,
) -> Result<Vec<postal::Model>, DbErr> {
    let mut q = postal::Entity::find();
    if let Some(s) = state {
        q = q.filter(postal::Column::State.eq(s));
    }
    q.order_by_asc(postal::Column::CreatedAt).all(db).await
}

pub async fn postal_order(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<postal::Model>, DbErr> {
    postal::Entity::find_by_id(id).one(db).await
}

/// Moves an order from `from` to `to`; false when it was no longer `from`.
pub async fn move_postal(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: &str,
    to: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = postal::Entity::update_many()
        .col_expr(postal::Column::State, Expr::value(to))
        .col_expr(postal::Column::UpdatedAt, Expr::value(at))
        .filter(postal::Column::Id.eq(id))
        .filter(postal::Column::State.eq(from))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
