//! The sandbox acquirer: a payment gateway with its own HTTP API, modelled on
//! how real Russian acquirers work.
//!
//! - `POST /v1/payments` (with `Idempotence-Key`) creates a payment and sends
//!   the payer a confirmation code by SMS; `POST /v1/payments/{id}/confirm`
//!   takes the code; the issuer's answer comes later, asynchronously.
//! - Every outcome is POSTed to the merchant's `callback_url`, signed with
//!   HMAC-SHA256 of the body under the shop's secret (`X-Acquirer-Signature`,
//!   hex), and retried with backoff until the merchant answers 2xx.
//! - `GET /v1/payments/{id}` and `GET /v1/payments?order_id=` answer the
//!   merchant's reconciliation; `POST /v1/refunds` returns money; `POST
//!   /v1/cards` stores a card behind a token.
//! - Test cards (see `cards::TEST_CARDS`) succeed, decline or time out.
//! - Sandbox controls: `POST /v1/sandbox/payments/{id}/resend` sends the last
//!   callback again (as merchants' dashboards offer), `GET /v1/sandbox/callbacks`
//!   lists deliveries.
//!
//! Every call is authenticated with HTTP Basic `shop_id:secret`.

mod api;
pub mod book;
pub mod cards;
mod worker;

use book::{Book, Shelf};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Mutex, Notify};

pub use api::SIGNATURE_HEADER;
pub use worker::sign;

#[derive(Debug, Clone)]
pub struct Config {
    pub shop_id: String,
    pub secret: String,
    /// How long the issuer takes to answer after the code is confirmed.
    pub settle_after: Duration,
    /// How long a "times out" card keeps the confirmation waiting.
    pub hang_for: Duration,
    /// How long a confirmation code lives.
    pub code_ttl: Duration,
    /// First callback retry delay; doubles up to `retry_max`.
    pub retry_first: Duration,
    pub retry_max: Duration,
}

impl Config {
    pub fn new(shop_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            shop_id: shop_id.into(),
            secret: secret.into(),
            settle_after: Duration::from_millis(1500),
            hang_for: Duration::from_secs(30),
            code_ttl: Duration::from_secs(5 * 60),
            retry_first: Duration::from_millis(500),
            retry_max: Duration::from_secs(60),
        }
    }
}

/// How the sandbox sends the payer's confirmation code: the embedding
/// product's SMS transport.
#[async_trait::async_trait]
pub trait Sms: Send + Sync {
    async fn send(&self, phone: &str, text: &str) -> anyhow::Result<()>;
}

struct Inner {
    config: Config,
    book: Mutex<Book>,
    shelf: Shelf,
    sms: Arc<dyn Sms>,
    http: reqwest::Client,
    wake: Notify,
}

/// A running sandbox's shared state.
#[derive(Clone)]
pub struct Sandbox(Arc<Inner>);

impl Sandbox {
    /// Opens the sandbox's records in `dir` (created if missing).
    pub async fn open(dir: &Path, config: Config, sms: Arc<dyn Sms>) -> anyhow::Result<Self> {
        let shelf = Shelf::new(dir);
        let book = shelf.load().await?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Self(Arc::new(Inner {
            config,
            book: Mutex::new(book),
            shelf,
            sms,
            http,
            wake: Notify::new(),
        })))
    }

    /// Serves the API on `listener` and runs settlements and callbacks until
    /// `shutdown` resolves.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let worker = tokio::spawn(worker::run(self.clone()));
        let served = axum::serve(listener, api::router(self.clone()))
            .with_graceful_shutdown(shutdown)
            .await;
        worker.abort();
        served?;
        Ok(())
    }

    /// Runs a change on a copy of the book and keeps it only once it is on
    /// disk, so nobody hears of a change that a restart would forget.
    async fn change<T>(&self, f: impl FnOnce(&mut Book) -> T) -> anyhow::Result<T> {
        let mut out = None;
        self.change_if(|book| {
            out = Some(f(book));
            true
        })
        .await?;
        Ok(out.expect("the change ran"))
    }

    /// `change` for a look that may find nothing to do (`f` says whether it
    /// changed anything): an unchanged book is neither written nor announced,
    /// or the worker, woken by its own announcement, would rewrite the book
    /// in a loop for ever.
    async fn change_if(&self, f: impl FnOnce(&mut Book) -> bool) -> anyhow::Result<()> {
        let mut book = self.0.book.lock().await;
        let mut next = book.clone();
        if !f(&mut next) {
            return Ok(());
        }
        self.0.shelf.save(&next).await?;
        *book = next;
        drop(book);
        self.0.wake.notify_one();
        Ok(())
    }
}
