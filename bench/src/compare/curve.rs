//! The cost curve: the same status reads, «Мои заявки» pages and
//! submissions with 1,000, 100,000 and 1,000,000 applications in the
//! database. The rows are seeded straight into the tables (the API would
//! take hours for a million): copies of one benchmark application, each
//! with its history, one in a hundred owned by a benchmark person so their
//! lists grow too, submitted a second apart in 2025 so that every person's
//! newest stay on top. Their sealed answers are the template's, bound to the
//! template's id: they are never opened, only counted, listed and indexed.

use crate::prepare::{self, Fixture};
use crate::procs::{Database, Server};
use crate::wrk::{self, Figures};
use crate::{Args, targets};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait, Value};
use std::path::Path;
use uuid::Uuid;

/// Applications a seed statement inserts at most, so that SQLite's
/// write-ahead log stays small and `sep` can write between them.
const CHUNK: u64 = 50_000;

const COLUMNS: &str = "id, number, applicant_id, service_code, form_version, kind, region_code, department_code, assignee_id, state, priority, answers, fee_kopecks, submitted_at, due_on, overdue, escalated_at, decided_at, decision_reason, updated_at, version";

pub struct Seeder {
    db: DatabaseConnection,
    postgres: bool,
    template: Uuid,
    owners: Vec<Uuid>,
    /// Applications seeded so far.
    pub seeded: u64,
}

impl Seeder {
    pub async fn open(database: &Database, template: Uuid) -> anyhow::Result<Self> {
        let postgres = matches!(database, Database::Postgres { .. });
        let db = sea_orm::Database::connect(database.url()).await?;
        let owners = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT DISTINCT applicant_id FROM applications",
            ))
            .await?
            .iter()
            .map(|r| r.try_get_by_index::<Uuid>(0))
            .collect::<Result<Vec<_>, _>>()?;
        anyhow::ensure!(!owners.is_empty(), "no benchmark person has applied yet");
        Ok(Self {
            db,
            postgres,
            template,
            owners,
            seeded: 0,
        })
    }

    /// Applications in the database, seeded or not.
    pub async fn count(&self) -> anyhow::Result<u64> {
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                "SELECT COUNT(*) FROM applications",
            ))
            .await?
            .ok_or_else(|| anyhow::anyhow!("no count"))?;
        Ok(row.try_get_by_index::<i64>(0)? as u64)
    }

    /// Seeds applications until `total` have been seeded.
    pub async fn grow_to(&mut self, total: u64) -> anyhow::Result<()> {
        while self.seeded < total {
            let end = (self.seeded + CHUNK).min(total);
            self.chunk(self.seeded, end).await?;
            self.seeded = end;
        }
        if !self.postgres {
            // A gigabyte of fresh rows sits in the write-ahead log: left
            // there, the first write after the seeding copies it into the
            // database while everyone waits, which no steady state does.
            self.db
                .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await?;
        }
        Ok(())
    }

    async fn chunk(&self, from: u64, to: u64) -> anyhow::Result<()> {
        // Numbered placeholders: `$n` in PostgreSQL, `?n` in SQLite. The
        // owners are $4, $5, …
        let mut owner = format!("CASE (n / 100) % {} ", self.owners.len());
        for i in 0..self.owners.len() {
            owner.push_str(&format!("WHEN {i} THEN ${} ", i + 4));
        }
        owner.push_str("END");
        let (random, series, number, submitted) = if self.postgres {
            (
                "gen_random_uuid()",
                "SELECT generate_series($1::bigint, $2::bigint - 1) AS n",
                "'S-' || lpad(n::text, 7, '0')",
                "timestamptz '2025-01-01 00:00:00+00' + n * interval '1 second'",
            )
        } else {
            (
                "randomblob(16)",
                "WITH RECURSIVE s(n) AS (SELECT $1 UNION ALL SELECT n + 1 FROM s WHERE n < $2 - 1) SELECT n FROM s",
                "'S-' || printf('%07d', n)",
                // The text sqlx writes for a whole second in UTC.
                "strftime('%Y-%m-%dT%H:%M:%S', '2025-01-01', '+' || n || ' seconds') || '+00:00'",
            )
        };
        let apps = format!(
            "INSERT INTO applications ({COLUMNS}) \
             SELECT {random}, {number}, CASE WHEN n % 100 = 0 THEN {owner} ELSE {random} END, \
             t.service_code, t.form_version, t.kind, t.region_code, t.department_code, t.assignee_id, \
             t.state, t.priority, t.answers, t.fee_kopecks, {submitted}, t.due_on, t.overdue, \
             t.escalated_at, t.decided_at, t.decision_reason, {submitted}, t.version \
             FROM ({series}) AS s CROSS JOIN applications t WHERE t.id = $3"
        );
        let history = format!(
            "INSERT INTO application_events (id, application_id, at, actor_id, actor, action, from_state, to_state, comment) \
             SELECT {random}, a.id, a.submitted_at, e.actor_id, e.actor, e.action, e.from_state, e.to_state, e.comment \
             FROM applications a CROSS JOIN application_events e \
             WHERE a.number >= $1 AND a.number <= $2 AND e.application_id = $3"
        );
        let mut binds = vec![
            Value::BigInt(Some(from as i64)),
            Value::BigInt(Some(to as i64)),
            Value::Uuid(Some(self.template)),
        ];
        binds.extend(self.owners.iter().map(|o| Value::Uuid(Some(*o))));
        let name = |n: u64| Value::String(Some(format!("S-{n:07}")));
        let txn = self.db.begin().await?;
        let statement = |sql: &str, values: Vec<Value>| {
            let sql = if self.postgres {
                sql.to_string()
            } else {
                sql.replace('$', "?")
            };
            Statement::from_sql_and_values(self.db.get_database_backend(), sql, values)
        };
        txn.execute_raw(statement(&apps, binds)).await?;
        txn.execute_raw(statement(
            &history,
            vec![name(from), name(to - 1), Value::Uuid(Some(self.template))],
        ))
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

/// One size of the database and what the paths did at it.
pub struct Tier {
    pub applications: u64,
    pub reads: Figures,
    pub page: Figures,
    pub submissions: Figures,
}

/// Grows the database through `sizes` (seeded applications) and measures
/// the status read, the page and the submission at each.
pub async fn run(
    args: &Args,
    dir: &Path,
    sep: &Server,
    database: &Database,
    fx: &Fixture,
    sizes: &[u64],
) -> anyhow::Result<Vec<Tier>> {
    let template = Uuid::parse_str(&fx.applications[0].1)?;
    let mut seeder = Seeder::open(database, template).await?;
    let mut tiers = Vec::new();
    let (c, s) = (args.connections, args.seconds);
    for &size in sizes {
        eprintln!("seeding up to {size} applications…");
        seeder.grow_to(size).await?;
        let applications = seeder.count().await?;
        eprintln!("measuring with {applications} applications…");
        let reads = wrk::run(&sep.base, &targets::status_reads(fx), c, s, dir)?;
        let page = wrk::run(&sep.base, &targets::my_page(fx), c, s, dir)?;
        let submissions = wrk::run(&sep.base, &targets::submissions(fx), c, s, dir)?;
        prepare::drained(&sep.base, fx).await?;
        tiers.push(Tier {
            applications,
            reads,
            page,
            submissions,
        });
    }
    Ok(tiers)
}

pub fn print(engine: &str, tiers: &[Tier]) {
    println!("\ncost curve, engine {engine}: sep alone, wrk -t2, the first size's figures = 100 %");
    println!(
        "{:>12} | {:^34} | {:^34} | {:^34}",
        "applications",
        "status read: req/s p50 p99",
        "«Мои заявки»: req/s p50 p99",
        "submission: req/s p50 p99"
    );
    let Some(first) = tiers.first() else { return };
    let cell = |f: &Figures, base: &Figures| {
        format!(
            "{:>6.0}/s {:>6.1} {:>6.1} ms {:>4.0} %",
            f.per_sec,
            f.p50_ms,
            f.p99_ms,
            100.0 * f.per_sec / base.per_sec.max(1.0)
        )
    };
    for t in tiers {
        println!(
            "{:>12} | {} | {} | {}",
            t.applications,
            cell(&t.reads, &first.reads),
            cell(&t.page, &first.page),
            cell(&t.submissions, &first.submissions)
        );
    }
}
