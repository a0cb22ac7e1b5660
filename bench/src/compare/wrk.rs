//! One measurement: `wrk` (closed loop, the same binary and settings for
//! both servers) driven by a Lua script generated for the path, whose
//! `done` hook prints the figures in one machine-readable line.

use anyhow::{Context, bail};
use std::fmt::Write;
use std::path::Path;
use std::process::Command;

/// One request shape, cycled through by the script.
pub struct Request {
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    /// This request's own body instead of the target's.
    pub body: Option<String>,
}

impl Request {
    pub fn to(path: impl Into<String>, headers: Vec<(&'static str, String)>) -> Self {
        Self {
            path: path.into(),
            headers,
            body: None,
        }
    }
}

pub struct Target {
    pub method: &'static str,
    pub requests: Vec<Request>,
    pub body: Option<String>,
    /// Each request carries its own `Idempotency-Key`.
    pub unique_key: bool,
}

impl Target {
    pub fn get(requests: Vec<Request>) -> Self {
        Self {
            method: "GET",
            requests,
            body: None,
            unique_key: false,
        }
    }

    pub fn post(requests: Vec<Request>, body: String) -> Self {
        Self {
            method: "POST",
            requests,
            body: Some(body),
            unique_key: false,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Figures {
    pub per_sec: f64,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Connect, read and write errors and answers of 4xx/5xx.
    pub errors: u64,
    pub timeouts: u64,
}

/// Lua's long strings take any text but their closing bracket.
fn lua_text(s: &str) -> String {
    assert!(!s.contains("]==]"), "a text the script cannot quote: {s}");
    format!("[==[{s}]==]")
}

fn script(t: &Target, prefix: &str) -> String {
    let mut s = String::from("local reqs = {\n");
    for r in &t.requests {
        let _ = write!(s, "  {{ path = {}, headers = {{", lua_text(&r.path));
        for (k, v) in &r.headers {
            let _ = write!(s, " [\"{k}\"] = {},", lua_text(v));
        }
        s.push_str(" }");
        if let Some(b) = &r.body {
            let _ = write!(s, ", body = {}", lua_text(b));
        }
        s.push_str(" },\n");
    }
    s.push_str("}\n");
    let _ = writeln!(s, "local method = \"{}\"", t.method);
    match &t.body {
        Some(b) => {
            let _ = writeln!(s, "local body = {}", lua_text(b));
        }
        None => s.push_str("local body = nil\n"),
    }
    let _ = writeln!(s, "local unique = {}", t.unique_key);
    let _ = writeln!(s, "local prefix = \"{prefix}\"");
    s.push_str(
        r#"local n = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
-- wrk -t2: each thread takes every other request, so that requests with
-- bodies of their own (one charge each) are never sent twice.
function request()
  local r = reqs[((n * 2 + (tid or 1) - 1) % #reqs) + 1]
  n = n + 1
  local h = {}
  for k, v in pairs(r.headers) do h[k] = v end
  local b = r.body or body
  if b then h["Content-Type"] = "application/json" end
  if unique then h["Idempotency-Key"] = prefix .. "-" .. tostring(tid or 0) .. "-" .. tostring(n) end
  return wrk.format(method, r.path, h, b)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %.1f %d %d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(99)))
end
"#,
    );
    s
}

pub fn run(
    base: &str,
    target: &Target,
    connections: usize,
    seconds: u64,
    dir: &Path,
) -> anyhow::Result<Figures> {
    let prefix = uuid::Uuid::new_v4().simple().to_string();
    let path = dir.join(format!("{prefix}.lua"));
    std::fs::write(&path, script(target, &prefix))?;
    let out = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--timeout",
            "2s",
            "-s",
        ])
        .arg(&path)
        .arg(base)
        .output()
        .context("run wrk (bench/compare.sh installs it)")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let Some(line) = stdout.lines().find(|l| l.starts_with("RESULT ")) else {
        bail!(
            "wrk printed no result: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let v: Vec<f64> = line[7..]
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    let [
        requests,
        duration_us,
        connect,
        read,
        write,
        status,
        timeout,
        mean,
        p50,
        p99,
    ] = v[..]
    else {
        bail!("wrk's result line: {line}");
    };
    Ok(Figures {
        per_sec: requests / (duration_us / 1e6),
        mean_ms: mean / 1000.0,
        p50_ms: p50 / 1000.0,
        p99_ms: p99 / 1000.0,
        errors: (connect + read + write + status) as u64,
        timeouts: timeout as u64,
    })
}
