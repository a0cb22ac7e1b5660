//! The acquirer's background: the issuer's answers arrive (settlements), codes
//! expire, and owed callbacks are delivered, retried with doubling delays
//! until the merchant acknowledges them with a 2xx.

use super::Sandbox;
use super::api::{SIGNATURE_HEADER, cancel_payment, owe, view};
use super::book::{Book, Callback, Status};
use super::cards::Behaviour;
use chrono::Utc;
use hmac::{KeyInit, Mac};
use std::time::Duration;

/// The longest the worker sleeps when nothing is due.
const IDLE: Duration = Duration::from_millis(500);

pub async fn run(s: Sandbox) {
    loop {
        let pause = pass(&s).await;
        tokio::select! {
            _ = s.0.wake.notified() => {}
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// One look at what is due; how long until the next.
async fn pass(s: &Sandbox) -> Duration {
    if let Err(e) = s
        .change_if(|book| settle_due(book, s.0.config.code_ttl))
        .await
    {
        tracing::error!(error = %e, "settlement not saved");
    }
    deliver_due(s).await;
    next_due(&*s.0.book.lock().await).min(IDLE)
}

/// How long until something is due.
fn next_due(book: &Book) -> Duration {
    let now = Utc::now();
    let settle = book
        .payments
        .values()
        .filter(|p| p.status == Status::Processing)
        .filter_map(|p| p.settle_at);
    let call = book
        .callbacks
        .iter()
        .filter(|c| c.delivered_at.is_none())
        .map(|c| c.next_at);
    settle
        .chain(call)
        .min()
        .map(|at| (at - now).to_std().unwrap_or(Duration::ZERO))
        .unwrap_or(IDLE)
}

/// The issuer answers confirmed payments; unconfirmed ones expire. Whether
/// anything did.
fn settle_due(book: &mut Book, code_ttl: Duration) -> bool {
    let now = Utc::now();
    let ttl = chrono::Duration::from_std(code_ttl).expect("small");
    let due: Vec<String> = book
        .payments
        .values()
        .filter(|p| p.status == Status::Processing && p.settle_at.is_some_and(|at| at <= now))
        .map(|p| p.id.clone())
        .collect();
    let mut changed = !due.is_empty();
    for id in due {
        let behaviour = book.payments[&id].behaviour;
        if behaviour == Behaviour::Declines {
            cancel_payment(book, &id, "insufficient_funds");
            continue;
        }
        let p = book.payments.get_mut(&id).expect("listed");
        p.status = Status::Succeeded;
        p.finished_at = Some(now);
        let (url, object) = (p.callback_url.clone(), view(p));
        // A timing-out payment's callback is the one that never comes.
        if behaviour != Behaviour::TimesOut {
            owe(book, url.as_deref(), &id, "payment.succeeded", object);
        }
    }
    let stale: Vec<String> = book
        .payments
        .values()
        .filter(|p| p.status == Status::WaitingForConfirmation && now - p.created_at > ttl)
        .map(|p| p.id.clone())
        .collect();
    changed |= !stale.is_empty();
    for id in stale {
        cancel_payment(book, &id, "expired");
    }
    changed
}

pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

async fn deliver_due(s: &Sandbox) {
    let now = Utc::now();
    let due: Vec<Callback> =
        s.0.book
            .lock()
            .await
            .callbacks
            .iter()
            .filter(|c| c.delivered_at.is_none() && c.next_at <= now)
            .cloned()
            .collect();
    for c in due {
        let answer =
            s.0.http
                .post(&c.url)
                .header("content-type", "application/json")
                .header(
                    SIGNATURE_HEADER,
                    sign(&s.0.config.secret, c.body.as_bytes()),
                )
                .body(c.body.clone())
                .send()
                .await;
        let status = answer.as_ref().ok().map(|r| r.status().as_u16());
        let acknowledged = status.is_some_and(|s| (200..300).contains(&s));
        if !acknowledged {
            tracing::info!(callback = %c.id, ?status, "callback not acknowledged; will retry");
        }
        let (first, max) = (s.0.config.retry_first, s.0.config.retry_max);
        let saved = s
            .change(|book| {
                let Some(c) = book.callbacks.iter_mut().find(|x| x.id == c.id) else {
                    return;
                };
                c.attempts += 1;
                c.last_status = status;
                if acknowledged {
                    c.delivered_at = Some(Utc::now());
                } else {
                    let delay = first.saturating_mul(1 << c.attempts.min(16)).min(max);
                    c.next_at = Utc::now() + chrono::Duration::from_std(delay).expect("small");
                }
            })
            .await;
        if let Err(e) = saved {
            tracing::error!(error = %e, "callback delivery not saved");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquirer::{Config, Sms};
    use std::os::unix::fs::MetadataExt;
    use std::sync::Arc;

    struct Silent;

    #[async_trait::async_trait]
    impl Sms for Silent {
        async fn send(&self, _: &str, _: &str) -> anyhow::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_pass_with_nothing_due_neither_rewrites_the_book_nor_wakes_the_worker() {
        let dir = tempfile::tempdir().unwrap();
        let s = Sandbox::open(dir.path(), Config::new("shop", "secret"), Arc::new(Silent))
            .await
            .unwrap();
        let woken = |s: &Sandbox| {
            let s = s.clone();
            async move {
                tokio::time::timeout(Duration::ZERO, s.0.wake.notified())
                    .await
                    .is_ok()
            }
        };
        s.change(|_| ()).await.unwrap();
        assert!(woken(&s).await, "a change is announced");
        // Each save renames a new file into place: a new inode.
        let book = dir.path().join("acquirer.json");
        let inode = std::fs::metadata(&book).unwrap().ino();
        pass(&s).await;
        pass(&s).await;
        assert_eq!(
            std::fs::metadata(&book).unwrap().ino(),
            inode,
            "not rewritten"
        );
        assert!(!woken(&s).await, "nothing to wake for");
    }
}
