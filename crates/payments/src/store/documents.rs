//! The driver licences and vehicle certificates a person searches charges by.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryOrder};
use sep_platform::{db::UniqueKey, db::entity};

entity!(payer_document, "payer_documents", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub kind: String,
    pub number: String,
    pub lookup: String,
    pub created_at: DateTimeUtc,
});

pub const PAYER_DOCUMENT_KEY: UniqueKey = UniqueKey {
    constraint: "payer_documents_key",
    sqlite_columns: "payer_documents.owner_id, payer_documents.kind, payer_documents.lookup",
};

pub async fn insert_payer_document(
    db: &impl ConnectionTrait,
    row: payer_document::Model,
) -> Result<(), DbErr> {
    payer_document::ActiveModel::from(row)
        .insert(db)
        .await
        .map(|_| ())
}

pub async fn payer_documents(
    db: &impl ConnectionTrait,
    owner: Uuid,
) -> Result<Vec<payer_document::Model>, DbErr> {
    payer_document::Entity::find()
        .filter(payer_document::Column::OwnerId.eq(owner))
        .order_by_asc(payer_document::Column::CreatedAt)
        .order_by_asc(payer_document::Column::Id)
        .all(db)
        .await
}

/// Removes `owner`'s document `id`; whether there was one.
pub async fn remove_payer_document(
    db: &impl ConnectionTrait,
    owner: Uuid,
    id: Uuid,
) -> Result<bool, DbErr> {
    let res = payer_document::Entity::delete_many()
        .filter(payer_document::Column::Id.eq(id))
        .filter(payer_document::Column::OwnerId.eq(owner))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
