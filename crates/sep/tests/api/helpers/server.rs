//! `sep serve` as its own process on the test's database and data folder
//! (instances are stateless, so it and the test's app share them), to be
//! killed with SIGKILL at the worst moments.

use super::TestApp;
use reqwest::StatusCode;
use std::process::{Child, Command};
use std::time::Duration;

pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts it on `port` with a real mail server and the SMS gateway's
    /// API (not the demo), and `env` on top; waits until it answers.
    pub async fn start(app: &TestApp, port: u16, env: &[(&str, String)]) -> Self {
        let base = format!("http://127.0.0.1:{port}");
        let (sms_url, sms_token, _) = super::sms_gateway(app.data_dir.join("handsets.jsonl")).await;
        let child = Command::new(env!("CARGO_BIN_EXE_sep"))
            .arg("serve")
            .env("DATABASE_URL", &app.platform.config.database_url)
            .env("SEP_DATA_DIR", &app.data_dir)
            .env("SEP_ADDR", format!("127.0.0.1:{port}"))
            .env("SEP_LOG", "warn")
            .env("SEP_CLOCK_START", app.platform.now().to_rfc3339())
            .env(
                "SEP_SMTP_URL",
                format!("smtp://127.0.0.1:{}", super::smtp::start().0),
            )
            .env("SEP_SMS_URL", sms_url)
            .env("SEP_SMS_TOKEN", sms_token)
            .env_remove("SEP_CONFIG")
            .env_remove("SEP_MASTER_KEY")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .spawn()
            .expect("sep serve starts");
        // Owned at once: if it never comes up, dropping it reaps the process.
        let server = Self { child, base };
        let http = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(r) = http
                .get(format!("{}/api/v1/openapi.json", server.base))
                .send()
                .await
                && r.status() == StatusCode::OK
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("sep serve did not come up on {}", server.base);
    }

    /// SIGKILL: no shutdown, no flushing, as a power cut.
    pub async fn kill(self) {
        tokio::task::spawn_blocking(move || drop(self))
            .await
            .unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
