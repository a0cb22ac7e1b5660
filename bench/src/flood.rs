//! The flood phase: one address fires public verify look-ups as fast as it
//! can while the citizens go on reading their applications. The limits are
//! the product's defaults; the line shows how many of the flood's requests
//! were served and refused, and the citizens' latency under it, to compare
//! with the status reads phase before it.

use crate::Args;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many look-ups the flood sends, and over how many connections.
const FLOOD: u64 = 2_000;
const FLOOD_CONNECTIONS: u64 = 8;

pub async fn run(
    args: &Args,
    http: &reqwest::Client,
    base: &str,
    tokens: &Arc<Vec<String>>,
    ids: &Arc<Vec<(usize, String)>>,
) -> Vec<String> {
    let (served, refused, other) = (
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
    );
    let flood: Vec<_> = (0..FLOOD_CONNECTIONS)
        .map(|_| {
            let (http, base) = (http.clone(), base.to_string());
            let (served, refused, other) = (served.clone(), refused.clone(), other.clone());
            tokio::spawn(async move {
                for _ in 0..FLOOD / FLOOD_CONNECTIONS {
                    let token = uuid::Uuid::new_v4().simple().to_string();
                    let r = http
                        .get(format!("{base}/api/v1/verify/{token}"))
                        .send()
                        .await;
                    let counter = match r.map(|r| r.status().as_u16()) {
                        Ok(429) => &refused,
                        Ok(200 | 404) => &served,
                        _ => &other,
                    };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let (reads, secs) = crate::status_reads(args, http, base, tokens, ids).await;
    for f in flood {
        let _ = f.await;
    }
    vec![
        reads.report("reads in flood", secs),
        format!(
            "(flood from one address: {} public verify look-ups, {} served, {} refused with 429, {} other)",
            FLOOD,
            served.load(Ordering::Relaxed),
            refused.load(Ordering::Relaxed),
            other.load(Ordering::Relaxed)
        ),
    ]
}
