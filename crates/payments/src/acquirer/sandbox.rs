//! Running the shipped sandbox acquirer next to СЭП (the embedded default):
//! its book lives in `data/acquirer/`, its confirmation codes go out through
//! СЭП's SMS transport, and it shares the shop secret with the adapter.

use sep_peers::acquirer::{self, Sandbox, Sms};
use sep_platform::config::Config;
use sep_platform::messages::SmsTransport;
use sep_platform::secrets::Secrets;
use std::sync::Arc;
use std::time::Duration;

/// The sandbox's codes, sent through СЭП's SMS transport.
pub struct SmsBridge(pub SmsTransport);

#[async_trait::async_trait]
impl Sms for SmsBridge {
    async fn send(&self, phone: &str, text: &str) -> anyhow::Result<()> {
        let reference = uuid::Uuid::now_v7().to_string();
        self.0
            .send(phone, text, chrono::Utc::now(), &reference)
            .await
    }
}

/// The shop secret: configured for an outside acquirer, derived from this
/// installation's keys for the embedded sandbox.
pub fn secret(config: &Config, secrets: &Secrets) -> String {
    config
        .acquirer_secret
        .clone()
        .unwrap_or_else(|| secrets.mac("acquirer.sandbox-secret", b"sep"))
}

pub async fn open(config: &Config, secrets: &Secrets) -> anyhow::Result<Sandbox> {
    let mut c = acquirer::Config::new(&config.acquirer_shop_id, secret(config, secrets));
    c.settle_after = Duration::from_millis(config.sandbox_settle_ms);
    c.hang_for = Duration::from_millis(config.acquirer_timeout_ms * 2);
    let sms = SmsBridge(config.sms_transport()?);
    Sandbox::open(&config.data_dir.join("acquirer"), c, Arc::new(sms)).await
}
