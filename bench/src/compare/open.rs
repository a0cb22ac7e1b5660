//! The open-loop generator: a fixed arrival rate spread over many open
//! connections, as a crowd of people each asking now and then, rather than
//! wrk's closed loop, where a slow answer slows the asking and hides itself
//! (coordinated omission). Each connection keeps its own schedule; a
//! request's latency counts from the moment it was due, so a late start
//! (the previous answer still awaited) is charged to the server.
//!
//! wrk cannot hold a rate and `wrk2` is not packaged here; a few hundred
//! lines over hyper's client connection keep the generator in the
//! workspace, built with it.

use crate::wrk::Figures;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::{Barrier, Semaphore};

#[derive(Clone)]
pub struct Call {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
    /// Each one carries its own `Idempotency-Key`.
    pub unique_key: bool,
}

impl Call {
    pub fn get(path: impl Into<String>, headers: Vec<(&'static str, String)>) -> Self {
        Self {
            method: "GET",
            path: path.into(),
            headers,
            body: None,
            unique_key: false,
        }
    }

    pub fn post(
        path: impl Into<String>,
        headers: Vec<(&'static str, String)>,
        body: String,
    ) -> Self {
        Self {
            method: "POST",
            path: path.into(),
            headers,
            body: Some(body),
            unique_key: false,
        }
    }
}

/// What the crowd asks: reads, and one write in every `write_every`.
pub struct Mix {
    pub reads: Vec<Call>,
    pub writes: Vec<Call>,
    pub write_every: usize,
}

pub struct Load {
    pub connections: usize,
    pub per_sec: f64,
    pub seconds: u64,
    /// An answer later than this is a time-out (wrk's default is 2 s).
    pub timeout: Duration,
}

#[derive(Default)]
struct Tally {
    latencies_ms: Vec<f64>,
    /// When each request was due, whether it wrote, its latency (NaN: timed out).
    timeline: Vec<(f64, bool, f64)>,
    errors: u64,
    timeouts: u64,
}

/// Opens every connection first, then runs the schedule; the figures are of
/// the schedule alone.
pub async fn run(addr: SocketAddr, load: &Load, mix: Arc<Mix>) -> anyhow::Result<Figures> {
    let barrier = Arc::new(Barrier::new(load.connections + 1));
    // Not all at once: the listen backlog would drop what it cannot queue.
    let connecting = Arc::new(Semaphore::new(256));
    let start = Arc::new(std::sync::OnceLock::<Instant>::new());
    let prefix = uuid::Uuid::new_v4().simple().to_string();
    let mut tasks = Vec::with_capacity(load.connections);
    let every = Duration::from_secs_f64(load.connections as f64 / load.per_sec);
    for i in 0..load.connections {
        let (barrier, connecting, start) = (barrier.clone(), connecting.clone(), start.clone());
        let (mix, prefix) = (mix.clone(), prefix.clone());
        let offset = Duration::from_secs_f64(i as f64 / load.per_sec);
        let (seconds, timeout) = (Duration::from_secs(load.seconds), load.timeout);
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut conn = {
                let _turn = connecting.acquire().await;
                connect(addr).await.ok()
            };
            barrier.wait().await;
            let t0 = *start.get_or_init(Instant::now);
            let mut k = 0usize;
            loop {
                let due = t0 + offset + every * k as u32;
                if due >= t0 + seconds {
                    break;
                }
                tokio::time::sleep_until(due.into()).await;
                let writes = (i + k).is_multiple_of(mix.write_every) && !mix.writes.is_empty();
                let call = if writes {
                    &mix.writes[i % mix.writes.len()]
                } else {
                    &mix.reads[(i + k) % mix.reads.len()]
                };
                let key = format!("{prefix}-{i}-{k}");
                if conn.is_none() {
                    conn = connect(addr).await.ok();
                }
                match &mut conn {
                    None => tally.errors += 1,
                    Some(sender) => {
                        let asked = ask(sender, addr, call, &key);
                        match tokio::time::timeout_at((due + timeout).into(), asked).await {
                            Err(_) => {
                                tally.timeouts += 1;
                                tally
                                    .timeline
                                    .push(((due - t0).as_secs_f64(), writes, f64::NAN));
                                conn = None;
                            }
                            Ok(Err(_)) => {
                                tally.errors += 1;
                                conn = None;
                            }
                            Ok(Ok(status)) if status >= 400 => tally.errors += 1,
                            Ok(Ok(_)) => {
                                let ms = due.elapsed().as_secs_f64() * 1000.0;
                                tally.latencies_ms.push(ms);
                                tally.timeline.push(((due - t0).as_secs_f64(), writes, ms));
                            }
                        }
                    }
                }
                k += 1;
            }
            tally
        }));
    }
    barrier.wait().await;
    let mut all = Tally::default();
    for t in tasks {
        let t = t.await?;
        all.latencies_ms.extend(t.latencies_ms);
        all.timeline.extend(t.timeline);
        all.errors += t.errors;
        all.timeouts += t.timeouts;
    }
    if std::env::var_os("BENCH_TIMELINE").is_some() {
        // Reads and writes apart, and the time-outs among them: which kind
        // falls behind first.
        for (kind, of_writes) in [("reads", false), ("writes", true)] {
            let slots = load.seconds as usize * 4 + 1;
            let (mut worst, mut lost) = (vec![0f64; slots], vec![0u64; slots]);
            for (at, w, ms) in &all.timeline {
                let b = (*at * 4.0) as usize;
                if *w != of_writes {
                    continue;
                }
                if ms.is_nan() {
                    lost[b] += 1;
                } else {
                    worst[b] = worst[b].max(*ms);
                }
            }
            eprintln!(
                "{kind}: worst latency per 250 ms: {:?}",
                worst.iter().map(|w| *w as u64).collect::<Vec<_>>()
            );
            eprintln!("{kind}: time-outs per 250 ms: {lost:?}");
        }
    }
    let mut l = all.latencies_ms;
    l.sort_by(f64::total_cmp);
    let at = |q: f64| {
        l.get(((l.len() as f64 * q) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    Ok(Figures {
        per_sec: l.len() as f64 / load.seconds as f64,
        mean_ms: if l.is_empty() {
            0.0
        } else {
            l.iter().sum::<f64>() / l.len() as f64
        },
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        errors: all.errors,
        timeouts: all.timeouts,
    })
}

type Sender = http1::SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> anyhow::Result<Sender> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    Ok(sender)
}

/// One request on the connection; its status once the whole body is read.
async fn ask(sender: &mut Sender, addr: SocketAddr, call: &Call, key: &str) -> anyhow::Result<u16> {
    sender.ready().await?;
    let mut req = hyper::Request::builder()
        .method(call.method)
        .uri(&call.path)
        .header("host", addr.to_string());
    for (k, v) in &call.headers {
        req = req.header(*k, v);
    }
    if call.unique_key {
        req = req.header("idempotency-key", key);
    }
    let body = match &call.body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Full::new(Bytes::from(b.clone()))
        }
        None => Full::new(Bytes::new()),
    };
    let response = sender.send_request(req.body(body)?).await?;
    let status = response.status().as_u16();
    response.into_body().collect().await?;
    Ok(status)
}
