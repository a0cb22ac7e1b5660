//! The two servers as child processes: the bare axum + sqlx server of
//! `../shared/perf-baseline` and the real `sep serve`, each on its own port
//! and database, killed when dropped.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub base: String,
    pub pid: u32,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free port on loopback, as the kernel hands it out.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

async fn wait_ready(base: &str, path: &str, child: &mut Child) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait()? {
            bail!("the server at {base} exited: {status}");
        }
        if let Ok(r) = http.get(format!("{base}{path}")).send().await
            && r.status().is_success()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("{base}{path} did not answer in 120 s")
}

/// Where a database lives for one engine's run.
pub enum Database {
    Sqlite(PathBuf),
    Postgres { admin: String, name: String },
}

impl Database {
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres { admin, name } => {
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
                format!("{base}/{name}")
            }
        }
    }
}

pub async fn bare(binary: &Path, db: &Database, dir: &Path) -> anyhow::Result<Server> {
    let port = free_port()?;
    let mut cmd = Command::new(binary);
    cmd.env("PORT", port.to_string())
        .env("POOL", "8")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    match db {
        Database::Sqlite(path) => cmd.env("DB", "sqlite").env("DB_PATH", path),
        Database::Postgres { .. } => cmd.env("DB", "pg").env("DB_URL", db.url()),
    };
    started(&mut cmd, binary, port, "/hello").await
}

/// Starts `cmd` and waits until it answers `ready` on `port`.
async fn started(
    cmd: &mut Command,
    binary: &Path,
    port: u16,
    ready: &str,
) -> anyhow::Result<Server> {
    let mut child = cmd
        .spawn()
        .with_context(|| format!("start {}", binary.display()))?;
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base, ready, &mut child).await?;
    let pid = child.id();
    Ok(Server { child, base, pid })
}

/// The environment `sep` runs with here: the demo (its catalogue, its
/// people, SMS codes in the outbox file), and the per-address limits lifted,
/// because every request of the load generator comes from one address.
pub fn sep_env(db: &Database, data: &Path, port: u16, acquirer: u16) -> Vec<(String, String)> {
    [
        ("DATABASE_URL", db.url()),
        ("SEP_DATA_DIR", data.display().to_string()),
        ("SEP_ADDR", format!("127.0.0.1:{port}")),
        ("SEP_ACQUIRER_ADDR", format!("127.0.0.1:{acquirer}")),
        ("SEP_SANDBOX_SETTLE_MS", "20".into()),
        ("SEP_LOG", "error".into()),
        ("SEP_AUTH_RATE_BURST", "100000000".into()),
        ("SEP_AUTH_RATE_REFILL_SECS", "1".into()),
        ("SEP_PUBLIC_RATE_BURST", "100000000".into()),
        ("SEP_PUBLIC_RATE_REFILL_MS", "1".into()),
        ("SEP_HEAVY_RATE_BURST", "100000000".into()),
        ("SEP_HEAVY_RATE_REFILL_SECS", "1".into()),
        ("SEP_SMS_PER_HOUR", "100000000".into()),
        ("SEP_SMS_PER_DAY", "100000000".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub async fn sep(binary: &Path, env: &[(String, String)], port: u16) -> anyhow::Result<Server> {
    let mut cmd = Command::new(binary);
    cmd.args(["serve", "--demo"])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    started(&mut cmd, binary, port, "/healthz").await
}

/// Runs a `sep` operator command against the same database.
pub fn sep_cli(binary: &Path, env: &[(String, String)], args: &[&str]) -> anyhow::Result<()> {
    let out = Command::new(binary)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()?;
    if !out.status.success() {
        bail!(
            "sep {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// Resident memory of a process, in MiB, from `/proc`.
pub fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}
