//! `sep-bench`: how many applications per second the server accepts, how
//! many status reads per second it answers, how many charges it settles from
//! personal accounts, how many receipt PDFs it renders, how many signed
//! certificates it issues and how many files its public check judges, on
//! SQLite or PostgreSQL.
//!
//! It starts the real server in this process on a fresh database (a temp
//! SQLite file, or a new PostgreSQL database dropped afterwards), loads the
//! demo catalogue, logs in applicants through the real API (password + SMS
//! code from the outbox file), then drives it over HTTP with `--concurrency`
//! clients for `--seconds` each phase. Client and server share the machine,
//! as they would on a developer's laptop; the numbers are for comparing
//! changes and engines, not a capacity promise.

mod documents;
mod flood;
mod payments;

use anyhow::bail;
use clap::Parser;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser)]
pub struct Args {
    /// sqlite or postgres
    #[arg(long, default_value = "sqlite")]
    engine: String,
    /// PostgreSQL server to create the benchmark database on.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pg_url: String,
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Distinct applicants (each with its own session).
    #[arg(long, default_value_t = 16)]
    users: usize,
}

pub struct Phase {
    ok: AtomicU64,
    failed: AtomicU64,
    latencies: std::sync::Mutex<Vec<u32>>,
}

impl Phase {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            ok: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            latencies: std::sync::Mutex::new(Vec::new()),
        })
    }

    pub fn report(&self, name: &str, secs: f64) -> String {
        let mut l = self.latencies.lock().unwrap().clone();
        l.sort_unstable();
        let q = |p: f64| {
            l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0)
        };
        format!(
            "{name:<14} {:>8.1}/s   ok {:>7}   failed {:>4}   p50 {:>6.1} ms   p99 {:>6.1} ms",
            self.ok.load(Ordering::Relaxed) as f64 / secs,
            self.ok.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
            q(0.5) as f64 / 1000.0,
            q(0.99) as f64 / 1000.0,
        )
    }
}

pub use sep_bench::{login, six_digits};

/// The status reads phase: each client reads its applicants' applications.
pub async fn status_reads(
    args: &Args,
    http: &reqwest::Client,
    base: &str,
    tokens: &Arc<Vec<String>>,
    ids: &Arc<Vec<(usize, String)>>,
) -> (Arc<Phase>, f64) {
    let reads = Phase::new();
    let (http, base, tokens, ids) = (http.clone(), base.to_string(), tokens.clone(), ids.clone());
    let secs = run_phase(args, reads.clone(), move |worker, n| {
        let (http, base, tokens, ids) = (http.clone(), base.clone(), tokens.clone(), ids.clone());
        async move {
            let (user, id) = &ids[(worker * 7919 + n as usize) % ids.len()];
            matches!(
                http.get(format!("{base}/api/v1/applications/{id}"))
                    .bearer_auth(&tokens[*user])
                    .send()
                    .await,
                Ok(r) if r.status().is_success()
            )
        }
    })
    .await;
    (reads, secs)
}

pub async fn run_phase<F, Fut>(args: &Args, phase: Arc<Phase>, work: F) -> f64
where
    F: Fn(usize, u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let tasks: Vec<_> = (0..args.concurrency)
        .map(|worker| {
            let (stop, phase, work) = (stop.clone(), phase.clone(), work.clone());
            tokio::spawn(async move {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let ok = work(worker, n).await;
                    n += 1;
                    let micros = t.elapsed().as_micros() as u32;
                    if ok {
                        phase.ok.fetch_add(1, Ordering::Relaxed);
                        phase.latencies.lock().unwrap().push(micros);
                    } else {
                        phase.failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let tmp = tempfile::tempdir()?;
    let (database_url, pg_database) = match args.engine.as_str() {
        "sqlite" => (
            format!("sqlite://{}", tmp.path().join("sep.db").display()),
            None,
        ),
        "postgres" => {
            use sea_orm::ConnectionTrait;
            let name = format!("sep_bench_{}", uuid::Uuid::new_v4().simple());
            let admin = sea_orm::Database::connect(&args.pg_url).await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            let base = args
                .pg_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&args.pg_url);
            (format!("{base}/{name}"), Some(name))
        }
        other => bail!("--engine sqlite or postgres, not {other}"),
    };
    let result = bench(&args, &database_url, tmp.path()).await;
    if let Some(name) = pg_database {
        use sea_orm::ConnectionTrait;
        let admin = sea_orm::Database::connect(&args.pg_url).await?;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await?;
    }
    result
}

async fn bench(args: &Args, database_url: &str, data: &std::path::Path) -> anyhow::Result<()> {
    let config = sep_platform::config::Config {
        addr: "127.0.0.1:0".parse()?,
        database_url: database_url.to_string(),
        data_dir: data.to_path_buf(),
        // Sign-in and heavy work (receipt PDFs, file checks) are what these
        // phases measure, from one address: their limits are lifted. The
        // public limits stay the product's own, which the flood phase meets.
        auth_rate_burst: 10_000,
        auth_rate_refill_secs: 1,
        heavy_rate_burst: 1_000_000,
        heavy_rate_refill_secs: 1,
        sms_per_hour: 1_000_000,
        sms_per_day: 1_000_000,
        // The sandbox acquirer runs in process on its own port; its issuer
        // answers at once so that setup's top-ups do not wait.
        acquirer_addr: "127.0.0.1:0".parse()?,
        sandbox_settle_ms: 20,
        ..Default::default()
    };
    let app = sep::app::App::build(config, Arc::new(sep_platform::clock::SystemClock)).await?;
    let base = format!("http://{}", app.addr);
    let platform = app.platform.clone();
    tokio::spawn(app.run(std::future::pending()));
    sep::demo::seed_catalog(&platform).await?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency * 2)
        .build()?;

    let mut tokens = Vec::new();
    let mut phones = Vec::new();
    for i in 0..args.users {
        let phone = format!("+7901{:07}", i + 1);
        let account = sep_identity::service::NewAccount {
            phone: &phone,
            email: &format!("bench{i}@example.ru"),
            password: sep_bench::PASSWORD,
            roles: &[sep_identity::model::Role::Citizen],
            level: sep_identity::model::AssuranceLevel::Confirmed,
        };
        sep_identity::service::create_user(
            &platform,
            &sep_platform::client::Client::system(),
            None,
            account,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        tokens.push(login(&http, &base, data, &phone).await?);
        phones.push(phone);
    }
    let tokens = Arc::new(tokens);

    let submissions = Phase::new();
    let created = Arc::new(std::sync::Mutex::new(Vec::<(usize, String)>::new()));
    let secs = {
        let (http, base, tokens, created) =
            (http.clone(), base.clone(), tokens.clone(), created.clone());
        let users = args.users;
        run_phase(args, submissions.clone(), move |worker, n| {
            let (http, base, tokens, created) =
                (http.clone(), base.clone(), tokens.clone(), created.clone());
            async move {
                let user = (worker + n as usize) % users;
                let body = json!({ "service": "egrn-extract", "answers": {
                    "full_name": "Нагрузочный Тест Тестович", "phone": "+79165551234",
                    "cadastral_number": format!("77:01:0001001:{n}") } });
                let r = http
                    .post(format!("{base}/api/v1/applications"))
                    .bearer_auth(&tokens[user])
                    .header("idempotency-key", uuid::Uuid::new_v4().to_string())
                    .json(&body)
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().as_u16() == 201 => {
                        if let Ok(v) = r.json::<Value>().await
                            && let Some(id) = v["id"].as_str()
                        {
                            created.lock().unwrap().push((user, id.to_string()));
                        }
                        true
                    }
                    _ => false,
                }
            }
        })
        .await
    };
    let submit_line = submissions.report("submissions", secs);

    let ids = Arc::new(created.lock().unwrap().clone());
    if ids.is_empty() {
        bail!("no application was created");
    }
    let (reads, secs) = status_reads(args, &http, &base, &tokens, &ids).await;
    println!(
        "engine {}  concurrency {}  users {}  {} s per phase",
        args.engine, args.concurrency, args.users, args.seconds
    );
    println!("{submit_line}");
    println!("{}", reads.report("status reads", secs));
    for line in flood::run(args, &http, &base, &tokens, &ids).await {
        println!("{line}");
    }
    let users = payments::Users {
        tokens: &tokens,
        phones: &phones,
    };
    for line in payments::run(args, &http, &base, data, &platform, users).await? {
        println!("{line}");
    }
    for line in documents::run(args, &http, &base, &platform, &tokens).await? {
        println!("{line}");
    }
    Ok(())
}
