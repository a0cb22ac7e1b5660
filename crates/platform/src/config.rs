//! Layered configuration: defaults → optional TOML file (`SEP_CONFIG`) → `SEP_*`
//! environment. Unknown keys in the file are refused so that a typo is not silently ignored.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub addr: SocketAddr,
    /// `sqlite://path` (embedded default) or `postgres://…`; the scheme picks the engine.
    pub database_url: String,
    /// Where the SQLite file, keys and file outboxes live.
    pub data_dir: PathBuf,
    /// `smtp://host:port` or `smtps://user:pass@host`; unset = `.eml` files in `data/outbox/mail/`.
    pub smtp_url: Option<String>,
    /// Sender address of outgoing mail.
    pub mail_from: String,
    /// The SMS gateway's HTTP API (`POST /v1/messages`); unset = the demo's
    /// file outbox, which `sep serve` accepts only in demo mode.
    pub sms_url: Option<String>,
    /// The bearer token the SMS gateway expects.
    pub sms_token: Option<String>,
    /// Demo mode: shows the SMS inbox page and demo hints. Never on in production.
    pub demo: bool,
    /// The address people reach this site by (`https://host`), for every
    /// absolute link: mails, QR codes on receipts and documents. Unset = the
    /// listen address, which only works on this machine.
    pub public_url: Option<String>,
    /// Requests a client address may burst on the auth endpoints before it is slowed down.
    pub auth_rate_burst: u32,
    /// Seconds in which one spent request of that burst is given back.
    pub auth_rate_refill_secs: u64,
    /// Requests a client address may burst on public routes (look-ups and
    /// checks anyone may make) before it is slowed down.
    pub public_rate_burst: u32,
    /// Milliseconds in which one spent public request is given back.
    pub public_rate_refill_ms: u64,
    /// Requests a client address, and a session, may burst on heavy routes
    /// (file uploads, rendered PDFs).
    pub heavy_rate_burst: u32,
    /// Seconds in which one spent heavy request is given back.
    pub heavy_rate_refill_secs: u64,
    /// Proxies whose client-address header is believed (addresses or CIDR
    /// blocks); none = the connection's peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The header a trusted proxy puts the client's address in.
    pub client_ip_header: String,
    /// SMS one phone number may receive in an hour, and in a day.
    pub sms_per_hour: u32,
    pub sms_per_day: u32,
    /// Blocking jobs of one kind (password hashing, PDF rendering, file
    /// checks) run at once; the rest wait their turn off the async workers.
    pub heavy_workers: usize,
    /// Database connections at most. More than the cores can use only adds
    /// context switches (measured against the bare server in `bench/`).
    pub db_pool: u32,
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: i64,
    /// Hours after which a session ends whatever happens.
    pub session_max_hours: i64,
    /// Set the cookie `Secure` flag (behind TLS).
    pub secure_cookies: bool,
    /// The acquirer's API; unset = run the shipped sandbox acquirer on `acquirer_addr`.
    pub acquirer_url: Option<String>,
    /// Where the embedded sandbox acquirer listens.
    pub acquirer_addr: SocketAddr,
    pub acquirer_shop_id: String,
    /// The shop secret shared with the acquirer (API auth and callback HMAC);
    /// unset = derived from this installation's keys (sandbox only).
    pub acquirer_secret: Option<String>,
    /// How long to wait for the acquirer before the outcome counts as unknown.
    pub acquirer_timeout_ms: u64,
    /// Where the acquirer sends its callbacks; unset = this server's own address.
    pub acquirer_callback_url: Option<String>,
    /// How long the sandbox's issuer takes to answer a confirmed payment.
    pub sandbox_settle_ms: u64,
    /// Start the process's clock at this instant instead of the wall clock's
    /// (tests that start `sep` as a process, demos of deadlines). Never in production.
    pub clock_start: Option<chrono::DateTime<chrono::Utc>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/sep.db".into(),
            data_dir: PathBuf::from("data"),
            smtp_url: None,
            mail_from: "СЭП <noreply@sep.local>".into(),
            sms_url: None,
            sms_token: None,
            demo: false,
            public_url: None,
            auth_rate_burst: 30,
            auth_rate_refill_secs: 2,
            public_rate_burst: 120,
            public_rate_refill_ms: 100,
            heavy_rate_burst: 20,
            heavy_rate_refill_secs: 3,
            trusted_proxies: Vec::new(),
            client_ip_header: "x-forwarded-for".into(),
            sms_per_hour: 10,
            sms_per_day: 40,
            // One core always left to the requests: with every core hashing
            // passwords, 50 logins a second stalled every read (benchmark).
            heavy_workers: std::thread::available_parallelism()
                .map_or(1, |n| n.get().saturating_sub(1).max(1)),
            db_pool: 8,
            session_idle_minutes: 15,
            session_max_hours: 12,
            secure_cookies: false,
            acquirer_url: None,
            acquirer_addr: SocketAddr::from(([127, 0, 0, 1], 8081)),
            acquirer_shop_id: "sep".into(),
            acquirer_secret: None,
            acquirer_timeout_ms: 10_000,
            acquirer_callback_url: None,
            sandbox_settle_ms: 1500,
            clock_start: None,
        }
    }
}

impl Config {
    /// The SMS transport: the gateway when one is named, else the file outbox.
    pub fn sms_transport(&self) -> anyhow::Result<crate::messages::SmsTransport> {
        use crate::messages::SmsTransport;
        match &self.sms_url {
            Some(url) => SmsTransport::http(url, self.sms_token.as_deref().unwrap_or("")),
            None => Ok(SmsTransport::File(self.outbox_dir().join("sms.jsonl"))),
        }
    }

    /// Outside demo mode the file outboxes are refused: they keep one-time
    /// codes readable on disk, undoing their hashing in the database.
    pub fn check_production_outboxes(&self) -> anyhow::Result<()> {
        if self.demo {
            return Ok(());
        }
        if self.sms_url.is_none() {
            bail!(
                "no SMS gateway: set SEP_SMS_URL (and SEP_SMS_TOKEN), or run the demo (--demo): \
                 the file outbox keeps codes readable and is for the demo only"
            );
        }
        if self.smtp_url.is_none() {
            bail!(
                "no mail server: set SEP_SMTP_URL, or run the demo (--demo): \
                 the .eml outbox keeps codes readable and is for the demo only"
            );
        }
        Ok(())
    }

    pub fn auth_limit(&self) -> crate::throttle::Limit {
        crate::throttle::Limit {
            burst: self.auth_rate_burst,
            refill: std::time::Duration::from_secs(self.auth_rate_refill_secs),
        }
    }

    pub fn public_limit(&self) -> crate::throttle::Limit {
        crate::throttle::Limit {
            burst: self.public_rate_burst,
            refill: std::time::Duration::from_millis(self.public_rate_refill_ms),
        }
    }

    pub fn heavy_limit(&self) -> crate::throttle::Limit {
        crate::throttle::Limit {
            burst: self.heavy_rate_burst,
            refill: std::time::Duration::from_secs(self.heavy_rate_refill_secs),
        }
    }

    /// Reads the file named by `SEP_CONFIG` (if any), then the environment.
    pub fn load() -> anyhow::Result<Self> {
        let mut config = match std::env::var_os("SEP_CONFIG") {
            Some(path) => {
                let text =
                    std::fs::read_to_string(&path).with_context(|| format!("reading {path:?}"))?;
                toml::from_str(&text).with_context(|| format!("parsing {path:?}"))?
            }
            None => Config::default(),
        };
        config.apply_env(|k| std::env::var(k).ok())?;
        config.validate()?;
        Ok(config)
    }

    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(v) = get("SEP_ADDR") {
            self.addr = v.parse().with_context(|| format!("SEP_ADDR={v}"))?;
        }
        if let Some(v) = get("DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = get("SEP_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = get("SEP_SMTP_URL") {
            self.smtp_url = Some(v).filter(|s| !s.is_empty());
        }
        if let Some(v) = get("SEP_SMS_URL") {
            self.sms_url = Some(v).filter(|s| !s.is_empty());
        }
        if let Some(v) = get("SEP_SMS_TOKEN") {
            self.sms_token = Some(v).filter(|s| !s.is_empty());
        }
        if let Some(v) = get("SEP_MAIL_FROM") {
            self.mail_from = v;
        }
        if let Some(v) = get("SEP_DEMO") {
            self.demo = parse_bool("SEP_DEMO", &v)?;
        }
        if let Some(v) = get("SEP_PUBLIC_URL") {
            self.public_url = Some(v.trim_end_matches('/').to_string()).filter(|s| !s.is_empty());
        }
        if let Some(v) = get("SEP_ACQUIRER_URL") {
            self.acquirer_url = Some(v).filter(|s| !s.is_empty());
        }
        if let Some(v) = get("SEP_ACQUIRER_ADDR") {
            self.acquirer_addr = v
                .parse()
                .with_context(|| format!("SEP_ACQUIRER_ADDR={v}"))?;
        }
        if let Some(v) = get("SEP_ACQUIRER_SECRET") {
            self.acquirer_secret = Some(v).filter(|s| !s.is_empty());
        }
        if let Some(v) = get("SEP_ACQUIRER_CALLBACK_URL") {
            self.acquirer_callback_url = Some(v).filter(|s| !s.is_empty());
        }
        if let Some(v) = get("SEP_ACQUIRER_TIMEOUT_MS") {
            self.acquirer_timeout_ms = v
                .parse()
                .with_context(|| format!("SEP_ACQUIRER_TIMEOUT_MS={v}"))?;
        }
        if let Some(v) = get("SEP_SANDBOX_SETTLE_MS") {
            self.sandbox_settle_ms = v
                .parse()
                .with_context(|| format!("SEP_SANDBOX_SETTLE_MS={v}"))?;
        }
        if let Some(v) = get("SEP_CLOCK_START") {
            self.clock_start = match v.as_str() {
                "" => None,
                _ => Some(
                    chrono::DateTime::parse_from_rfc3339(&v)
                        .with_context(|| format!("SEP_CLOCK_START={v} (RFC 3339 expected)"))?
                        .to_utc(),
                ),
            };
        }
        fn number<T: std::str::FromStr>(name: &str, v: &str) -> anyhow::Result<T>
        where
            T::Err: std::error::Error + Send + Sync + 'static,
        {
            v.trim().parse().with_context(|| format!("{name}={v}"))
        }
        for (name, slot) in [
            ("SEP_AUTH_RATE_BURST", &mut self.auth_rate_burst),
            ("SEP_PUBLIC_RATE_BURST", &mut self.public_rate_burst),
            ("SEP_HEAVY_RATE_BURST", &mut self.heavy_rate_burst),
            ("SEP_SMS_PER_HOUR", &mut self.sms_per_hour),
            ("SEP_SMS_PER_DAY", &mut self.sms_per_day),
        ] {
            if let Some(v) = get(name) {
                *slot = number(name, &v)?;
            }
        }
        for (name, slot) in [
            ("SEP_AUTH_RATE_REFILL_SECS", &mut self.auth_rate_refill_secs),
            ("SEP_PUBLIC_RATE_REFILL_MS", &mut self.public_rate_refill_ms),
            (
                "SEP_HEAVY_RATE_REFILL_SECS",
                &mut self.heavy_rate_refill_secs,
            ),
        ] {
            if let Some(v) = get(name) {
                *slot = number(name, &v)?;
            }
        }
        if let Some(v) = get("SEP_HEAVY_WORKERS") {
            self.heavy_workers = number("SEP_HEAVY_WORKERS", &v)?;
        }
        if let Some(v) = get("SEP_DB_POOL") {
            self.db_pool = number("SEP_DB_POOL", &v)?;
        }
        if let Some(v) = get("SEP_TRUSTED_PROXIES") {
            self.trusted_proxies = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<ipnet::IpNet>()
                        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                        .with_context(|| {
                            format!("SEP_TRUSTED_PROXIES: {s:?} is not an address or CIDR block")
                        })
                })
                .collect::<anyhow::Result<_>>()?;
        }
        if let Some(v) = get("SEP_CLIENT_IP_HEADER") {
            self.client_ip_header = v.trim().to_ascii_lowercase();
        }
        if let Some(v) = get("SEP_SECURE_COOKIES") {
            self.secure_cookies = parse_bool("SEP_SECURE_COOKIES", &v)?;
        }
        Ok(())
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres:")
            || self.database_url.starts_with("postgresql:"))
        {
            bail!(
                "DATABASE_URL must start with sqlite:// or postgres://, got {}",
                self.database_url
            );
        }
        if self.session_idle_minutes <= 0 || self.session_max_hours <= 0 {
            bail!("session lifetimes must be positive");
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            bail!("SEP_PUBLIC_URL must start with https:// or http://, got {url}");
        }
        for (name, value) in [
            ("SEP_AUTH_RATE_BURST", u64::from(self.auth_rate_burst)),
            ("SEP_AUTH_RATE_REFILL_SECS", self.auth_rate_refill_secs),
            ("SEP_PUBLIC_RATE_BURST", u64::from(self.public_rate_burst)),
            ("SEP_PUBLIC_RATE_REFILL_MS", self.public_rate_refill_ms),
            ("SEP_HEAVY_RATE_BURST", u64::from(self.heavy_rate_burst)),
            ("SEP_HEAVY_RATE_REFILL_SECS", self.heavy_rate_refill_secs),
            ("SEP_SMS_PER_HOUR", u64::from(self.sms_per_hour)),
            ("SEP_SMS_PER_DAY", u64::from(self.sms_per_day)),
            ("SEP_HEAVY_WORKERS", self.heavy_workers as u64),
            ("SEP_DB_POOL", u64::from(self.db_pool)),
        ] {
            if value == 0 {
                bail!("{name} must be positive");
            }
        }
        if axum::http::HeaderName::from_bytes(self.client_ip_header.as_bytes()).is_err() {
            bail!(
                "SEP_CLIENT_IP_HEADER={:?} is not a header name",
                self.client_ip_header
            );
        }
        Ok(())
    }

    /// The base of every absolute link, without a trailing slash.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}

fn parse_bool(name: &str, v: &str) -> anyhow::Result<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => bail!("{name} must be true or false, got {v}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_defaults_and_bad_values_are_refused() {
        let mut c = Config::default();
        c.apply_env(|k| match k {
            "SEP_ADDR" => Some("127.0.0.1:9090".into()),
            "DATABASE_URL" => Some("postgres://postgres@127.0.0.1/test".into()),
            "SEP_DEMO" => Some("true".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.addr.port(), 9090);
        assert!(c.demo);
        c.validate().unwrap();
        assert!(
            c.apply_env(|k| (k == "SEP_DEMO").then(|| "maybe".into()))
                .is_err()
        );
        c.database_url = "mysql://x".into();
        assert!(c.validate().is_err());
        assert!(toml::from_str::<Config>("adress = \"x\"").is_err());
    }

    #[test]
    fn links_are_built_on_the_public_address_or_the_listen_one() {
        let mut c = Config::default();
        assert_eq!(c.public_url(), "http://127.0.0.1:8080");
        c.addr = "127.0.0.1:9191".parse().unwrap();
        assert_eq!(c.public_url(), "http://127.0.0.1:9191");
        c.apply_env(|k| (k == "SEP_PUBLIC_URL").then(|| "https://gosuslugi.example/".into()))
            .unwrap();
        assert_eq!(c.public_url(), "https://gosuslugi.example");
        c.validate().unwrap();
        c.public_url = Some("gosuslugi.example".into());
        assert!(c.validate().is_err());
    }
}
