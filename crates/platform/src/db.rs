//! The database handle every store uses: SQLite (embedded default) or PostgreSQL,
//! chosen by the URL scheme, one code path through sea-orm.

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    DbErr, TransactionTrait,
};
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    /// SQLite allows one writer; a transaction that reads first and writes later
    /// fails with SQLITE_BUSY_SNAPSHOT (no waiting) when another writer got in
    /// between. Serialising writers inside the process avoids that; PostgreSQL
    /// needs no such gate and gets none.
    write_gate: Option<Arc<Mutex<()>>>,
}

impl Db {
    pub async fn connect(url: &str, pool: u32) -> anyhow::Result<Self> {
        let mut options = ConnectOptions::new(url.to_string());
        options
            .max_connections(pool)
            // Every statement at INFO (with SEP_LOG=sqlx=info), for
            // counting what a path asks of the database.
            .sqlx_logging(std::env::var_os("SEP_SQL_LOG").is_some())
            .acquire_timeout(Duration::from_secs(10));
        let is_sqlite = url.starts_with("sqlite:");
        if is_sqlite {
            if let Some(parent) = sqlite_path(url)
                .and_then(|p| std::path::Path::new(p).parent().map(|p| p.to_path_buf()))
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(&parent)?;
            }
            options.map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    // 16 MiB of pages per connection instead of SQLite's
                    // 2 MiB: at a million applications a page of «Мои
                    // заявки» read each row from the OS by a system call.
                    .pragma("cache_size", "-16384")
            });
        }
        let conn = sea_orm::Database::connect(options).await?;
        Ok(Self {
            conn,
            write_gate: is_sqlite.then(|| Arc::new(Mutex::new(()))),
        })
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    pub fn is_postgres(&self) -> bool {
        self.backend() == DatabaseBackend::Postgres
    }

    /// What a single write outside a transaction holds on SQLite while its
    /// statement runs (none on PostgreSQL). Without it such a write waits
    /// for the file's lock in SQLite's busy handler, which sleeps and
    /// retries while holding a pooled connection, and loses each race to the
    /// next gated transaction: under a stream of submissions a few of them
    /// held every connection and stalled all reads for seconds (the crowd
    /// row of the benchmark).
    pub async fn gate(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.write_gate {
            Some(g) => Some(g.clone().lock_owned().await),
            None => None,
        }
    }

    /// A transaction that will write. Everything a state change causes (the row,
    /// its audit record, its outbound messages) goes into one of these.
    pub async fn begin(&self) -> Result<Txn, DbErr> {
        let gate = self.gate().await;
        // IMMEDIATE: the write lock is taken at BEGIN, where busy_timeout
        // waits for it. A deferred transaction that reads and then writes
        // fails at once (SQLITE_BUSY_SNAPSHOT) if any write outside the gate
        // (a session's last-seen time, a message marked sent) committed in
        // between; the benchmark saw that as a 500 on saving a profile.
        let txn = if gate.is_some() {
            self.conn
                .begin_with_options(sea_orm::TransactionOptions {
                    sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
                    ..Default::default()
                })
                .await?
        } else {
            self.conn.begin().await?
        };
        Ok(Txn { txn, _gate: gate })
    }

    pub async fn close(self) -> Result<(), DbErr> {
        self.conn.close().await
    }
}

impl Deref for Db {
    type Target = DatabaseConnection;
    fn deref(&self) -> &DatabaseConnection {
        &self.conn
    }
}

pub struct Txn {
    txn: DatabaseTransaction,
    _gate: Option<OwnedMutexGuard<()>>,
}

impl Txn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }
}

impl Deref for Txn {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

/// The file path inside `sqlite://path?opts`, if it names a file.
pub fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Which unique constraint a write broke, by the name both engines know it by.
/// PostgreSQL names the constraint; SQLite names `table.column`, so each
/// constraint is described by both spellings.
pub struct UniqueKey {
    pub constraint: &'static str,
    pub sqlite_columns: &'static str,
}

pub fn violates(err: &DbErr, key: &UniqueKey) -> bool {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(msg)) => {
            msg.contains(key.constraint) || msg.contains(key.sqlite_columns)
        }
        _ => false,
    }
}

/// A failed insert as the caller should see it: a violation of `key` is a
/// 409 naming `field` and `rule` (the value is taken); anything else stays a
/// database error.
pub fn taken_or(
    err: DbErr,
    key: &UniqueKey,
    field: &'static str,
    rule: &'static str,
) -> crate::error::AppError {
    if violates(&err, key) {
        crate::error::AppError::Conflict(vec![sep_kernel::FieldError::new(
            field,
            sep_kernel::Rule(rule),
        )])
    } else {
        err.into()
    }
}

/// Is the database reachable? For the health endpoint.
pub async fn ping(db: &Db) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// A table's sea-orm entity in one line per table: the model's fields, no
/// relations (contexts join in their services, not through the ORM).
#[macro_export]
macro_rules! entity {
    ($module:ident, $table:literal, { $($body:tt)* }) => {
        pub mod $module {
            use sea_orm::entity::prelude::*;

            #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
            #[sea_orm(table_name = $table)]
            pub struct Model { $($body)* }

            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}

            impl ActiveModelBehavior for ActiveModel {}
        }
    };
}
pub use crate::entity;

/// The last of the next `n` numbers of `year` in a counter table
/// `(year, last)`, counted in the caller's transaction: the upsert locks the
/// year's row until commit, so two transactions never get the same number.
pub async fn next_in_year(
    txn: &impl ConnectionTrait,
    table: &'static str,
    year: i32,
    n: i64,
) -> Result<i64, DbErr> {
    let backend = txn.get_database_backend();
    let (year_at, n_at) = if backend == DatabaseBackend::Postgres {
        ("$1", "$2")
    } else {
        ("?1", "?2")
    };
    let sql = format!(
        "INSERT INTO {table} (year, last) VALUES ({year_at}, {n_at}) \
         ON CONFLICT (year) DO UPDATE SET last = {table}.last + {n_at} RETURNING last"
    );
    let row = txn
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [year.into(), n.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(table.into()))?;
    row.try_get::<i64>("", "last")
}

/// A stored enum value read back (a state, a kind, a role, a level). An
/// unknown one is corrupt data or a value from a newer build: it fails the
/// request loudly (a 500 with the column named in the log), never becomes a
/// default that would show a wrong state or open a service to the wrong people.
pub fn stored<T>(
    column: &'static str,
    value: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, DbErr> {
    parse(value).ok_or_else(|| DbErr::Custom(format!("unknown value {value:?} in {column}")))
}

/// Rows a multi-row insert carries at most: both engines cap a statement's
/// parameters (SQLite at 32,766, PostgreSQL at 65,535), and a batch of
/// events can fan out to many people.
const ROWS_PER_INSERT: usize = 500;

/// Inserts `rows` with as few statements as the engines allow.
pub async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    insert_parts(db, rows, None).await
}

/// [`insert_all`], leaving out the rows that `conflict` finds already there.
pub async fn insert_new<A>(
    db: &impl ConnectionTrait,
    rows: Vec<A>,
    conflict: sea_orm::sea_query::OnConflict,
) -> Result<(), DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    insert_parts(db, rows, Some(conflict)).await
}

async fn insert_parts<A>(
    db: &impl ConnectionTrait,
    mut rows: Vec<A>,
    conflict: Option<sea_orm::sea_query::OnConflict>,
) -> Result<(), DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(ROWS_PER_INSERT));
        let mut insert = <A::Entity as sea_orm::EntityTrait>::insert_many(rows);
        if let Some(c) = &conflict {
            insert = insert.on_conflict(c.clone());
        }
        // With every row a duplicate nothing is inserted: not an error here.
        match insert.exec_without_returning(db).await {
            Ok(_) | Err(DbErr::RecordNotInserted) => {}
            Err(e) => return Err(e),
        }
        rows = rest;
    }
    Ok(())
}
