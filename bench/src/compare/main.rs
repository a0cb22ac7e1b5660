//! `sep-compare`: the product's hot paths beside the machine's bare limit.
//!
//! Starts the bare axum + sqlx server of `../shared/perf-baseline` and the
//! real `sep serve --demo` as separate processes on one engine, makes what
//! the paths need through `sep`'s own doors, then drives each path and its
//! bare counterpart with the same `wrk` in turn (bare, then `sep`), and
//! prints one table: requests per second, mean, p50 and p99 latency, errors
//! and time-outs, and `sep`'s share of the bare figure. Absolute figures
//! drift on a shared machine; ratios taken side by side hold.
//! `bench/compare.sh` builds everything in release and runs it.

mod crowd;
mod curve;
mod open;
mod prepare;
mod procs;
mod targets;
mod wrk;

use clap::Parser;
use procs::{Database, Server};
use std::path::PathBuf;
use targets::*;
use wrk::{Figures, Target};

#[derive(Parser)]
pub struct Args {
    /// sqlite or postgres
    #[arg(long, default_value = "sqlite")]
    pub engine: String,
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pub pg_url: String,
    /// Seconds each measurement runs.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Connections of the ordinary rows.
    #[arg(long, default_value_t = 100)]
    pub connections: usize,
    /// Connections of the crowd row (`ulimit -n` must allow them).
    #[arg(long, default_value_t = 10_000)]
    pub crowd: usize,
    /// Requests a second the crowd sends (the seeds' 10,000 users asking once each 5 s).
    #[arg(long, default_value_t = 2_000.0)]
    pub crowd_rate: f64,
    /// One write in this many of the crowd's requests (0: reads only).
    #[arg(long, default_value_t = 10)]
    pub crowd_write_every: usize,
    #[arg(long, default_value_t = 16)]
    pub users: usize,
    #[arg(long, default_value = "target/perf-baseline/release/perf-baseline")]
    pub bare: PathBuf,
    #[arg(long, default_value = "target/release/sep")]
    pub sep: PathBuf,
    /// Only the paths whose names contain this, or one of its parts split by `|`.
    #[arg(long)]
    pub only: Option<String>,
    /// Instead of the table, the cost curve: the database grown to each of
    /// these numbers of seeded applications in turn.
    #[arg(long, value_delimiter = ',')]
    pub curve: Vec<u64>,
}

struct Row {
    path: String,
    bare: Figures,
    sep: Figures,
}

fn cell(f: &Figures) -> String {
    format!(
        "{:>8.0}/s {:>7.1} {:>7.1} {:>7.1} ms {:>5} {:>5}",
        f.per_sec, f.mean_ms, f.p50_ms, f.p99_ms, f.errors, f.timeouts
    )
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = Args::parse();
    // The bare server runs in its own folder: its path must not be relative.
    args.bare = std::fs::canonicalize(&args.bare)?;
    args.sep = std::fs::canonicalize(&args.sep)?;
    let dir = tempfile::tempdir()?;
    let (bare_db, sep_db) = match args.engine.as_str() {
        "sqlite" => (
            Database::Sqlite(dir.path().join("bare.db")),
            Database::Sqlite(dir.path().join("sep.db")),
        ),
        "postgres" => {
            let suffix = uuid::Uuid::new_v4().simple().to_string();
            let make = |kind: &str| Database::Postgres {
                admin: args.pg_url.clone(),
                name: format!("{kind}_compare_{suffix}"),
            };
            (make("bare"), make("sep"))
        }
        other => anyhow::bail!("--engine sqlite or postgres, not {other}"),
    };
    for db in [&bare_db, &sep_db] {
        if let Database::Postgres { admin, name } = db {
            execute(admin, &format!("CREATE DATABASE {name}")).await?;
        }
    }
    let result = compare(&args, dir.path(), &bare_db, &sep_db).await;
    for db in [&bare_db, &sep_db] {
        if let Database::Postgres { admin, name } = db {
            execute(
                admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await?;
        }
    }
    result
}

async fn execute(url: &str, sql: &str) -> anyhow::Result<()> {
    use sea_orm::ConnectionTrait;
    let db = sea_orm::Database::connect(url).await?;
    db.execute_unprepared(sql).await?;
    db.close().await?;
    Ok(())
}

async fn compare(
    args: &Args,
    dir: &std::path::Path,
    bare_db: &Database,
    sep_db: &Database,
) -> anyhow::Result<()> {
    let bare = procs::bare(&args.bare, bare_db, dir).await?;
    let data = dir.join("sep-data");
    let (port, acquirer) = (procs::free_port()?, procs::free_port()?);
    let env = procs::sep_env(sep_db, &data, port, acquirer);
    let sep = procs::sep(&args.sep, &env, port).await?;
    let rss_start = (procs::rss_mib(bare.pid), procs::rss_mib(sep.pid));
    let mut fx = prepare::fixture(&args.sep, &env, &sep.base, &data, args.users).await?;

    let chosen = |path: &str| {
        args.only
            .as_ref()
            .is_none_or(|o| o.split('|').any(|part| path.contains(part)))
    };
    if !args.curve.is_empty() {
        let tiers = curve::run(args, dir, &sep, sep_db, &fx, &args.curve).await?;
        curve::print(&args.engine, &tiers);
        return Ok(());
    }
    if chosen("payment") {
        // Enough that the row never runs out: payments ask the password.
        prepare::charges(
            &args.sep,
            &env,
            &sep.base,
            &data,
            &mut fx,
            100 * args.seconds as usize,
        )
        .await?;
    }
    let c = args.connections;
    let plan: Vec<(String, Target, Target, usize)> = vec![
        (
            "GET /healthz ~ /hello".into(),
            plain("/hello"),
            plain("/healthz"),
            c,
        ),
        (
            "status read (token) ~ one-row read".into(),
            bare_reads(),
            status_reads(&fx),
            c,
        ),
        (
            "«Мои заявки» page ~ one-row read".into(),
            bare_reads(),
            my_page(&fx),
            c,
        ),
        (
            "catalogue search ~ one-row read".into(),
            bare_reads(),
            search(),
            c,
        ),
        (
            "document check by digest ~ one-row read".into(),
            bare_reads(),
            check(&fx),
            c,
        ),
        (
            "submission ~ one-row insert".into(),
            bare_insert(),
            submissions(&fx),
            c,
        ),
        (
            "payment from the balance ~ one-row insert".into(),
            bare_insert(),
            balance_payments(&fx),
            c,
        ),
        (
            "login, password step ~ one-row insert".into(),
            bare_insert(),
            login(&fx),
            c,
        ),
    ];
    let mut rows = Vec::new();
    let mut follow_up = None;
    for (path, bare_target, sep_target, connections) in plan.iter().filter(|p| chosen(&p.0)) {
        rows.push(measure(
            args,
            dir,
            &bare,
            &sep,
            path,
            bare_target,
            sep_target,
            *connections,
        )?);
        if path.starts_with("submission") {
            // The submissions' routing and notices follow after their
            // answers: let them finish before the next row, and say how long
            // they took.
            let t = std::time::Instant::now();
            prepare::drained(&sep.base, &fx).await?;
            let routed = t.elapsed().as_secs_f64();
            prepare::quiet(sep_db).await?;
            follow_up = Some((routed, t.elapsed().as_secs_f64()));
        }
    }
    let crowd_path = format!(
        "{} users, {:.0}/s, 1 write in {} (open loop)",
        args.crowd, args.crowd_rate, args.crowd_write_every
    );
    let crowd = if chosen(&crowd_path) {
        eprintln!("measuring {crowd_path}…");
        let c = crowd::crowd(&bare, &sep, &fx, args, args.seconds).await?;
        // Its submissions' follow-up too must end before the login storm.
        prepare::drained(&sep.base, &fx).await?;
        prepare::quiet(sep_db).await?;
        rows.push(Row {
            path: crowd_path,
            bare: c.bare,
            sep: c.sep,
        });
        Some(c)
    } else {
        None
    };
    let storm = if chosen("login storm") {
        eprintln!("measuring the login storm…");
        Some(crowd::storm(&sep, &fx, args.seconds).await?)
    } else {
        None
    };
    let rss_end = (procs::rss_mib(bare.pid), procs::rss_mib(sep.pid));

    println!(
        "\nengine {}, wrk -t2 (the crowd row: open loop), {} s each, {} connections (the crowd row {}), bare first then sep",
        args.engine, args.seconds, args.connections, args.crowd
    );
    println!(
        "{:<42} | {:^45} | {:^45} | ratio",
        "path",
        "bare: req/s  mean  p50  p99  errors  time-outs",
        "sep: req/s  mean  p50  p99  errors  time-outs"
    );
    for r in &rows {
        println!(
            "{:<42} | {} | {} | {:>5.1} %",
            r.path,
            cell(&r.bare),
            cell(&r.sep),
            100.0 * r.sep.per_sec / r.bare.per_sec.max(1.0)
        );
    }
    let mib = |m: Option<f64>| m.map_or("?".into(), |m| format!("{m:.0} MiB"));
    if let Some(c) = &crowd {
        let three = |r: &[Option<f64>; 3]| format!("{} / {} / {}", mib(r[0]), mib(r[1]), mib(r[2]));
        println!(
            "resident memory around the crowd (before / connections open / 3 s after they closed): bare {}, sep {}",
            three(&c.bare_rss),
            three(&c.sep_rss)
        );
    }
    if let Some((routed, quiet)) = follow_up {
        println!(
            "the submissions' follow-up: all checked, charged and routed {routed:.1} s after their row ended, every notice and message sent after {quiet:.1} s"
        );
    }
    if let Some(s) = &storm {
        println!(
            "login storm: sep's reads at 1,000/s on 100 connections: p99 {:.1} ms alone, {:.1} ms beside 50 logins/s ({:.2}×); logins {:.0}/s, p99 {:.0} ms, {} errors, {} time-outs",
            s.calm.p99_ms,
            s.stormy.p99_ms,
            s.stormy.p99_ms / s.calm.p99_ms.max(0.001),
            s.logins.per_sec,
            s.logins.p99_ms,
            s.logins.errors,
            s.logins.timeouts
        );
    }
    println!(
        "resident memory at start / after the runs: bare {} / {}, sep {} / {}",
        mib(rss_start.0),
        mib(rss_end.0),
        mib(rss_start.1),
        mib(rss_end.1)
    );
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn measure(
    args: &Args,
    dir: &std::path::Path,
    bare: &Server,
    sep: &Server,
    path: &str,
    bare_target: &Target,
    sep_target: &Target,
    connections: usize,
) -> anyhow::Result<Row> {
    eprintln!("measuring {path}…");
    let bare = wrk::run(&bare.base, bare_target, connections, args.seconds, dir)?;
    let sep = wrk::run(&sep.base, sep_target, connections, args.seconds, dir)?;
    Ok(Row {
        path: path.to_string(),
        bare,
        sep,
    })
}
