//! The open-loop rows: the seeds' 10,000 users (2,000 requests a second over
//! 10,000 open connections, nine reads in ten), the resident memory around
//! it, and a login storm beside steady reads.

use crate::open::{self, Call, Load, Mix};
use crate::prepare::Fixture;
use crate::procs::{Server, rss_mib};
use crate::wrk::Figures;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub fn addr(server: &Server) -> anyhow::Result<SocketAddr> {
    Ok(server.base.trim_start_matches("http://").parse()?)
}

fn bearer(token: &str) -> Vec<(&'static str, String)> {
    vec![crate::targets::bearer(token)]
}

/// Status reads and «Мои заявки» pages of every benchmark person, and their
/// submissions.
pub fn sep_mix(fx: &Fixture, write_every: usize) -> Mix {
    let mut reads = Vec::new();
    for (user, id) in &fx.applications {
        reads.push(Call::get(
            format!("/api/v1/applications/{id}"),
            bearer(&fx.tokens[*user]),
        ));
        reads.push(Call::get(
            "/applications",
            vec![("cookie", format!("sep_session={}", fx.tokens[*user]))],
        ));
    }
    let writes = fx
        .tokens
        .iter()
        .map(|t| Call {
            unique_key: true,
            ..Call::post(
                "/api/v1/applications",
                bearer(t),
                crate::prepare::submission().to_string(),
            )
        })
        .collect();
    Mix {
        reads,
        writes,
        write_every,
    }
}

/// The bare server's one-row reads and inserts in the same proportion.
pub fn bare_mix(write_every: usize) -> Mix {
    Mix {
        reads: (0..1000)
            .map(|i| Call::get(format!("/status/{}", (i * 7919) % 100_000 + 1), vec![]))
            .collect(),
        writes: vec![Call::post(
            "/submit",
            vec![],
            r#"{"item_id": 42, "payload": "нагрузочный тест"}"#.into(),
        )],
        write_every,
    }
}

pub struct Crowd {
    pub bare: Figures,
    pub sep: Figures,
    /// sep's resident MiB: before, with the connections open, 3 s after they closed.
    pub sep_rss: [Option<f64>; 3],
    pub bare_rss: [Option<f64>; 3],
}

pub async fn crowd(
    bare: &Server,
    sep: &Server,
    fx: &Fixture,
    args: &crate::Args,
    seconds: u64,
) -> anyhow::Result<Crowd> {
    let load = Load {
        connections: args.crowd,
        per_sec: args.crowd_rate,
        seconds,
        timeout: Duration::from_secs(2),
    };
    // 0 writes in every … means none: a modulus no index reaches.
    let every = match args.crowd_write_every {
        0 => usize::MAX,
        n => n,
    };
    let (bare_figures, bare_rss) = measured(bare, &load, Arc::new(bare_mix(every))).await?;
    let (sep_figures, sep_rss) = measured(sep, &load, Arc::new(sep_mix(fx, every))).await?;
    Ok(Crowd {
        bare: bare_figures,
        sep: sep_figures,
        sep_rss,
        bare_rss,
    })
}

async fn measured(
    server: &Server,
    load: &Load,
    mix: Arc<Mix>,
) -> anyhow::Result<(Figures, [Option<f64>; 3])> {
    let before = rss_mib(server.pid);
    let pid = server.pid;
    // Read while the connections are still open: near the schedule's end.
    let during = tokio::spawn({
        let at = Duration::from_secs(load.seconds.saturating_sub(1).max(1));
        async move {
            tokio::time::sleep(at).await;
            rss_mib(pid)
        }
    });
    let figures = open::run(addr(server)?, load, mix).await?;
    let during = during.await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    Ok((figures, [before, during, rss_mib(server.pid)]))
}

/// Steady reads alone, then the same reads beside 50 logins a second (the
/// password step: Argon2id on its own bounded pool).
pub struct Storm {
    pub calm: Figures,
    pub stormy: Figures,
    pub logins: Figures,
}

pub async fn storm(sep: &Server, fx: &Fixture, seconds: u64) -> anyhow::Result<Storm> {
    let reads = || {
        let mut mix = sep_mix(fx, usize::MAX);
        mix.writes.clear();
        Arc::new(mix)
    };
    let steady = Load {
        connections: 100,
        per_sec: 1000.0,
        seconds,
        timeout: Duration::from_secs(2),
    };
    let addr = addr(sep)?;
    let calm = open::run(addr, &steady, reads()).await?;
    let logins = Arc::new(Mix {
        reads: fx
            .phones
            .iter()
            .map(|phone| {
                Call::post(
                    "/api/v1/auth/login",
                    vec![],
                    format!(
                        r#"{{"login": "{phone}", "password": "{}"}}"#,
                        sep_bench::PASSWORD
                    ),
                )
            })
            .collect(),
        writes: Vec::new(),
        write_every: usize::MAX,
    });
    let storm = Load {
        connections: 50,
        per_sec: 50.0,
        seconds,
        timeout: Duration::from_secs(2),
    };
    let (stormy, logins) = tokio::join!(
        open::run(addr, &steady, reads()),
        open::run(addr, &storm, logins)
    );
    Ok(Storm {
        calm,
        stormy: stormy?,
        logins: logins?,
    })
}
