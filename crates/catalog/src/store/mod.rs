//! SQL for the catalogue. Services call these functions; nothing else touches
//! the catalogue's tables.

pub mod entities;

pub use entities::{
    agency, category, department, department_officer, routing_rule, service, service_form,
};

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, QueryOrder, Set, Statement};
use sep_platform::db::Db;

/// The region code of the fallback routing rule.
pub const ANY_REGION: &str = "*";

pub async fn agencies(db: &impl ConnectionTrait) -> Result<Vec<agency::Model>, DbErr> {
    agency::Entity::find()
        .order_by_asc(agency::Column::Code)
        .all(db)
        .await
}

pub async fn agency(db: &impl ConnectionTrait, code: &str) -> Result<Option<agency::Model>, DbErr> {
    agency::Entity::find_by_id(code).one(db).await
}

pub async fn insert_agency(db: &impl ConnectionTrait, row: agency::Model) -> Result<(), DbErr> {
    agency::ActiveModel::from(row).insert(db).await.map(|_| ())
}

pub async fn departments(
    db: &impl ConnectionTrait,
    agency_code: Option<&str>,
) -> Result<Vec<department::Model>, DbErr> {
    let mut q = department::Entity::find().order_by_asc(department::Column::Code);
    if let Some(a) = agency_code {
        q = q.filter(department::Column::AgencyCode.eq(a));
    }
    q.all(db).await
}

pub async fn department(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<department::Model>, DbErr> {
    department::Entity::find_by_id(code).one(db).await
}

pub async fn insert_department(
    db: &impl ConnectionTrait,
    row: department::Model,
) -> Result<(), DbErr> {
    department::ActiveModel::from(row)
        .insert(db)
        .await
        .map(|_| ())
}

/// Adds an officer to a department; adding twice changes nothing.
pub async fn add_officer(
    db: &impl ConnectionTrait,
    department_code: &str,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    department_officer::Entity::insert(department_officer::ActiveModel {
        department_code: Set(department_code.into()),
        user_id: Set(user_id),
        since: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            department_officer::Column::DepartmentCode,
            department_officer::Column::UserId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map(|_| ())
}

pub async fn remove_officer(
    db: &impl ConnectionTrait,
    department_code: &str,
    user_id: Uuid,
) -> Result<bool, DbErr> {
    let r = department_officer::Entity::delete_many()
        .filter(department_officer::Column::DepartmentCode.eq(department_code))
        .filter(department_officer::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(r.rows_affected > 0)
}

pub async fn departments_of_officer(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<String>, DbErr> {
    Ok(department_officer::Entity::find()
        .filter(department_officer::Column::UserId.eq(user_id))
        .order_by_asc(department_officer::Column::DepartmentCode)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.department_code)
        .collect())
}

pub async fn officers_of(
    db: &impl ConnectionTrait,
    department_code: &str,
) -> Result<Vec<Uuid>, DbErr> {
    Ok(department_officer::Entity::find()
        .filter(department_officer::Column::DepartmentCode.eq(department_code))
        .order_by_asc(department_officer::Column::Since)
        .order_by_asc(department_officer::Column::UserId)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect())
}

pub async fn categories(db: &impl ConnectionTrait) -> Result<Vec<category::Model>, DbErr> {
    category::Entity::find()
        .order_by_asc(category::Column::Position)
        .order_by_asc(category::Column::Code)
        .all(db)
        .await
}

pub async fn category(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<category::Model>, DbErr> {
    category::Entity::find_by_id(code).one(db).await
}

pub async fn upsert_category(db: &impl ConnectionTrait, row: category::Model) -> Result<(), DbErr> {
    category::Entity::insert(category::ActiveModel::from(row))
        .on_conflict(
            OnConflict::column(category::Column::Code)
                .update_columns([
                    category::Column::NameRu,
                    category::Column::NameEn,
                    category::Column::Position,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

pub async fn service(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<service::Model>, DbErr> {
    service::Entity::find_by_id(code).one(db).await
}

/// Services in the catalogue's order; only active ones unless `with_inactive`.
pub async fn services(
    db: &impl ConnectionTrait,
    category_code: Option<&str>,
    with_inactive: bool,
) -> Result<Vec<service::Model>, DbErr> {
    let mut q = service::Entity::find().order_by_asc(service::Column::Code);
    if let Some(c) = category_code {
        q = q.filter(service::Column::CategoryCode.eq(c));
    }
    if !with_inactive {
        q = q.filter(service::Column::Active.eq(true));
    }
    q.all(db).await
}

pub async fn services_by_codes(
    db: &impl ConnectionTrait,
    codes: Vec<String>,
) -> Result<Vec<service::Model>, DbErr> {
    service::Entity::find()
        .filter(service::Column::Code.is_in(codes))
        .filter(service::Column::Active.eq(true))
        .order_by_asc(service::Column::Code)
        .all(db)
        .await
}

pub async fn insert_service(db: &impl ConnectionTrait, row: service::Model) -> Result<(), DbErr> {
    let (code, terms) = (row.code.clone(), row.search_text.clone());
    service::ActiveModel::from(row).insert(db).await?;
    index_for_search(db, &code, &terms).await
}

pub async fn set_form_version(
    db: &impl ConnectionTrait,
    code: &str,
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    service::Entity::update_many()
        .col_expr(service::Column::FormVersion, version.into())
        .col_expr(service::Column::UpdatedAt, now.into())
        .filter(service::Column::Code.eq(code))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn set_active(
    db: &impl ConnectionTrait,
    code: &str,
    active: bool,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = service::Entity::update_many()
        .col_expr(service::Column::Active, active.into())
        .col_expr(service::Column::UpdatedAt, now.into())
        .filter(service::Column::Code.eq(code))
        .exec(db)
        .await?;
    Ok(r.rows_affected > 0)
}

pub async fn insert_form(db: &impl ConnectionTrait, row: service_form::Model) -> Result<(), DbErr> {
    service_form::ActiveModel::from(row)
        .insert(db)
        .await
        .map(|_| ())
}

pub async fn form(
    db: &impl ConnectionTrait,
    service_code: &str,
    version: i32,
) -> Result<Option<service_form::Model>, DbErr> {
    service_form::Entity::find_by_id((service_code.to_string(), version))
        .one(db)
        .await
}

pub async fn routes(
    db: &impl ConnectionTrait,
    service_code: &str,
) -> Result<Vec<routing_rule::Model>, DbErr> {
    routing_rule::Entity::find()
        .filter(routing_rule::Column::ServiceCode.eq(service_code))
        .order_by_asc(routing_rule::Column::RegionCode)
        .all(db)
        .await
}

pub async fn replace_routes(
    db: &impl ConnectionTrait,
    service_code: &str,
    rows: Vec<routing_rule::Model>,
) -> Result<(), DbErr> {
    routing_rule::Entity::delete_many()
        .filter(routing_rule::Column::ServiceCode.eq(service_code))
        .exec(db)
        .await?;
    for row in rows {
        routing_rule::ActiveModel::from(row).insert(db).await?;
    }
    Ok(())
}

// --- full-text matching: one marked block per engine ---

async fn index_for_search(db: &impl ConnectionTrait, code: &str, terms: &str) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend == sea_orm::DatabaseBackend::Postgres {
        // PostgreSQL indexes `services.search_text` itself (GIN expression index).
        return Ok(());
    }
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        "DELETE FROM services_fts WHERE code = ?",
        [code.into()],
    ))
    .await?;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        "INSERT INTO services_fts (code, terms) VALUES (?, ?)",
        [code.into(), terms.into()],
    ))
    .await
    .map(|_| ())
}

/// Codes of the services whose indexed stems include every one of `terms`.
/// Matching only: the order is decided by [`crate::model::search::score`].
pub async fn matching_codes(db: &Db, terms: &[String]) -> Result<Vec<String>, DbErr> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.backend();
    let stmt = if db.is_postgres() {
        Statement::from_sql_and_values(
            backend,
            "SELECT code FROM services \
             WHERE to_tsvector('simple', search_text) @@ plainto_tsquery('simple', $1)",
            [terms.join(" ").into()],
        )
    } else {
        // Each stem quoted: FTS5 then reads it as a plain token, never as syntax.
        let query = terms
            .iter()
            .map(|t| format!("\"{}\"", t.replace('"', "")))
            .collect::<Vec<_>>()
            .join(" AND ");
        Statement::from_sql_and_values(
            backend,
            "SELECT code FROM services_fts WHERE services_fts MATCH ?",
            [query.into()],
        )
    };
    let rows = db.query_all_raw(stmt).await?;
    rows.iter()
        .map(|r| r.try_get::<String>("", "code"))
        .collect()
}
