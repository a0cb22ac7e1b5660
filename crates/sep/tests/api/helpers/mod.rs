//! The test harness: a real server on a random port, over a fresh database —
//! a temporary SQLite file, or with `SEP_TEST_DB=postgres` a new PostgreSQL
//! database that is dropped afterwards. The clock is a manual one the test moves.

mod accounts;
pub mod browser;
mod messages;
pub mod pages;
mod server;
mod tools;

pub use accounts::Person;
pub use messages::{sms_gateway, smtp};
pub use server::{Server, free_port};
pub use tools::*;

use chrono::{TimeZone, Utc};
use reqwest::{Client, Response, StatusCode};
use sep::app::App;
use sep_platform::Platform;
use sep_platform::clock::ManualClock;
use sep_platform::config::Config;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;

pub const PASSWORD: &str = "Vesna-Tuman-42";

pub struct TestApp {
    pub base: String,
    pub clock: ManualClock,
    pub platform: Platform,
    pub data_dir: PathBuf,
    pub http: Client,
    _tmp: tempfile::TempDir,
    pg_database: Option<String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// The seconds a 429 or 423 asks the client to wait.
/// A response's JSON body, or a failed test.
pub async fn json_of(r: Response) -> Value {
    r.json().await.expect("a JSON body")
}

/// The fields a problem document names, in its order.
pub fn error_fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .expect("a list of errors")
        .iter()
        .map(|e| e["field"].as_str().expect("a field name"))
        .collect()
}

/// The states an application's history went through, in order.
pub fn steps_of(application: &Value) -> Vec<&str> {
    application["history"]
        .as_array()
        .expect("a history")
        .iter()
        .map(|h| h["to"].as_str().expect("a state"))
        .collect()
}

/// The error a problem document gives for `field`, or a failed test.
pub fn error_for<'a>(problem: &'a Value, field: &str) -> &'a Value {
    problem["errors"]
        .as_array()
        .expect("a list of errors")
        .iter()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("no error for {field}: {problem}"))
}

pub fn retry_after(r: &Response) -> i64 {
    r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

pub fn pg_admin_url() -> String {
    std::env::var("SEP_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn on_postgres() -> bool {
    std::env::var("SEP_TEST_DB").as_deref() == Ok("postgres")
}

async fn create_pg_database() -> (String, String) {
    use sea_orm::ConnectionTrait;
    let name = format!("sep_test_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(pg_admin_url())
        .await
        .expect("PostgreSQL must be reachable when SEP_TEST_DB=postgres");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let base = pg_admin_url();
    let url = format!(
        "{}/{}",
        base.rsplit_once('/').map(|(b, _)| b).unwrap_or(&base),
        name
    );
    (name, url)
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        // The server's log, shown with a failing test's output (SEP_LOG to widen it).
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_env("SEP_LOG")
                    .unwrap_or_else(|_| "warn,sqlx=error".into()),
            )
            .with_test_writer()
            .try_init();
        let tmp = tempfile::tempdir().expect("tempdir");
        let data_dir = tmp.path().to_path_buf();
        let (pg_database, database_url) = if on_postgres() {
            let (name, url) = create_pg_database().await;
            (Some(name), url)
        } else {
            (
                None,
                format!("sqlite://{}", data_dir.join("sep.db").display()),
            )
        };
        let mut config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            database_url,
            data_dir: data_dir.clone(),
            demo: true,
            acquirer_addr: "127.0.0.1:0".parse().unwrap(),
            sandbox_settle_ms: 20,
            acquirer_timeout_ms: 1500,
            ..Config::default()
        };
        adjust(&mut config);
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap());
        let app = App::build(config, Arc::new(clock.clone()))
            .await
            .expect("app builds");
        let base = format!("http://{}", app.addr);
        let platform = app.platform.clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run(async {
            let _ = rx.await;
        }));
        let http = Client::builder().cookie_store(false).build().unwrap();
        Self {
            base,
            clock,
            platform,
            data_dir,
            http,
            _tmp: tmp,
            pg_database,
            shutdown: Some(tx),
        }
    }

    /// Runs the `sep` command line against this app's database, data and
    /// acquirer (off the runtime's thread: the app must keep serving meanwhile).
    pub async fn cli(&self, args: &[&str]) -> std::process::Output {
        self.cli_with(args, &[]).await
    }

    /// As `cli`, with further environment (later entries win).
    pub async fn cli_with(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sep"));
        command
            .args(args)
            .env("DATABASE_URL", &self.platform.config.database_url)
            .env("SEP_DATA_DIR", &self.data_dir)
            .env(
                "SEP_ACQUIRER_URL",
                self.platform
                    .config
                    .acquirer_url
                    .clone()
                    .unwrap_or_default(),
            )
            .env("SEP_CLOCK_START", self.platform.now().to_rfc3339())
            .env_remove("SEP_CONFIG")
            .env_remove("SEP_MASTER_KEY")
            .envs(env.iter().copied());
        tokio::task::spawn_blocking(move || command.output().expect("sep runs"))
            .await
            .expect("joined")
    }

    /// A call to the embedded sandbox acquirer's own API, as the shop.
    pub fn acquirer(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let c = &self.platform.config;
        let secret = sep_payments::acquirer::sandbox::secret(c, &self.platform.secrets);
        self.http
            .request(
                method,
                format!("{}{path}", c.acquirer_url.as_deref().expect("set at build")),
            )
            .basic_auth(&c.acquirer_shop_id, Some(secret))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_auth(&self, path: &str, token: &str, body: Value) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// An anonymous GET.
    pub async fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).send().await.expect("request")
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn put_auth(&self, path: &str, token: &str, body: Value) -> Response {
        self.http
            .put(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete_auth(&self, path: &str, token: &str) -> Response {
        self.http
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// Text columns of rows read straight from the database, bypassing the
    /// application: what someone holding a copy of the database would see.
    pub async fn raw_text(&self, sql: &str) -> Vec<Option<String>> {
        use sea_orm::{ConnectionTrait, Statement};
        let db = &*self.platform.db;
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("raw query");
        rows.iter()
            .flat_map(|row| {
                row.column_names()
                    .into_iter()
                    .map(|c| {
                        row.try_get::<Option<String>>("", &c)
                            .expect("a text column")
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(name) = self.pg_database.take() {
            // Dropped from a thread of its own: Drop cannot await, and the test's runtime is ending.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    use sea_orm::ConnectionTrait;
                    if let Ok(admin) = sea_orm::Database::connect(pg_admin_url()).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

impl TestApp {
    pub fn clock_unix(&self) -> u64 {
        use sep_platform::clock::Clock;
        self.clock.now().timestamp() as u64
    }
}

impl TestApp {
    /// A server whose catalogue holds the demo services (no demo accounts).
    pub async fn with_catalog() -> Self {
        let app = Self::spawn().await;
        sep::demo::seed_catalog(&app.platform)
            .await
            .expect("demo catalogue");
        app
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let r = self.http.get(self.url(path)).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }
}

impl TestApp {
    /// Submits with an idempotency key and lets what follows the answer
    /// (checking, routing, the fee, the notices) finish; returns the answer,
    /// which was given before any of that.
    pub async fn submit(&self, token: &str, key: &str, body: &Value) -> Response {
        let r = self
            .http
            .post(self.url("/api/v1/applications"))
            .bearer_auth(token)
            .header("idempotency-key", key)
            .json(body)
            .send()
            .await
            .expect("request");
        self.settle().await;
        r
    }

    /// Runs the follow-up work the last requests left (what the instance's
    /// own worker does when woken) until no event is due: the same code,
    /// awaited here so a test need not poll.
    pub async fn settle(&self) {
        self.platform.follow_up_now().await;
    }

    pub async fn act(&self, token: &str, id: &str, action: &str, comment: &str) -> Response {
        self.post_auth(
            &format!("/api/v1/applications/{id}/actions"),
            token,
            json!({ "action": action, "comment": comment }),
        )
        .await
    }

    /// Uploads `bytes` as `name`; returns the response.
    pub async fn upload(&self, token: &str, name: &str, bytes: Vec<u8>) -> Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        self.http
            .post(self.url("/api/v1/attachments"))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("request")
    }
}

impl TestApp {
    /// The JSON body of an authenticated GET.
    pub async fn get_auth_json(&self, path: &str, token: &str) -> Value {
        self.get_auth(path, token).await.json().await.unwrap()
    }

    /// Pays the state fee of application `id` as its applicant would (a test
    /// card and the SMS code) and waits until the application is routed.
    pub async fn pay_fee(&self, person: &Person, id: &str) -> Value {
        self.settle().await;
        let path = format!("/api/v1/applications/{id}");
        let a = self.get_auth_json(&path, &person.token).await;
        let uin = a["fee_uin"]
            .as_str()
            .unwrap_or_else(|| panic!("no fee: {a}"));
        let r = self
            .http
            .post(self.url("/api/v1/payments"))
            .bearer_auth(&person.token)
            .header("Idempotency-Key", format!("fee-{id}"))
            .json(&json!({
                "charges": [uin], "method": "card",
                "card": { "number": "4111 1111 1111 1111", "expiry": "12/30", "cvc": "123" }
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let payment: Value = r.json().await.unwrap();
        let r = self
            .post_auth(
                &format!(
                    "/api/v1/payments/{}/confirm",
                    payment["id"].as_str().unwrap()
                ),
                &person.token,
                json!({ "code": self.last_code(&person.phone) }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        self.until_state(&person.token, id, "routed").await
    }

    /// The application once it has reached `state`: what follows a request
    /// (checking, routing, the fee) is done after its answer, by the
    /// follow-up worker. Polls for at most five seconds.
    pub async fn until_state(&self, token: &str, id: &str, state: &str) -> Value {
        let path = format!("/api/v1/applications/{id}");
        let mut a = Value::Null;
        for _ in 0..250 {
            a = self.get_auth_json(&path, token).await;
            if a["state"] == state {
                return a;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("application {id} never became {state}: {a}");
    }
}
