//! The test harness: a real server on a random port, over a fresh database —
//! a temporary SQLite file, or with `SEP_TEST_DB=postgres` a new PostgreSQL
//! database that is dropped afterwards. The clock is a manual one the test moves.

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
pub fn retry_after(r: &Response) -> i64 {
    r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn six_digits(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a six-digit code")
        .to_string()
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

    /// Every SMS the file gateway wrote, oldest first.
    pub fn sms(&self) -> Vec<Value> {
        std::fs::read_to_string(self.data_dir.join("outbox").join("sms.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    }

    /// The `.eml` files the file transport wrote, oldest first.
    fn mail_files(&self) -> Vec<PathBuf> {
        let Ok(dir) = std::fs::read_dir(self.data_dir.join("outbox").join("mail")) else {
            return Vec::new();
        };
        let mut paths: Vec<_> = dir
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        paths.sort(); // names are UUIDv7: sorted by time
        paths
    }

    /// Every mail the file transport wrote, oldest first: (to, subject, body),
    /// decoded as a mail client would.
    pub fn mails(&self) -> Vec<(String, String, String)> {
        self.mail_files()
            .iter()
            .map(|p| {
                let raw = std::fs::read(p).unwrap();
                let m = mail_parser::MessageParser::default()
                    .parse(&raw)
                    .expect("a well-formed mail");
                let to = m
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .unwrap_or_default()
                    .to_string();
                let subject = m.subject().unwrap_or_default().to_string();
                let body = m.body_text(0).unwrap_or_default().to_string();
                (to, subject, body)
            })
            .collect()
    }

    /// The files attached to mails to `email`, oldest first: (subject, file name, bytes).
    pub fn mail_attachments(&self, email: &str) -> Vec<(String, String, Vec<u8>)> {
        let mut found = Vec::new();
        for p in self.mail_files() {
            let raw = std::fs::read(p).unwrap();
            use mail_parser::MimeHeaders;
            let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
            let to = m.to().and_then(|a| a.first()).and_then(|a| a.address());
            if to != Some(email) {
                continue;
            }
            for a in m.attachments() {
                found.push((
                    m.subject().unwrap_or_default().to_string(),
                    a.attachment_name().unwrap_or_default().to_string(),
                    a.contents().to_vec(),
                ));
            }
        }
        found
    }

    /// The six-digit code in the newest mail to `email`.
    pub fn last_mail_code(&self, email: &str) -> String {
        let mails = self.mails();
        let (_, _, body) = mails
            .iter()
            .rev()
            .find(|(to, _, _)| to == email)
            .expect("a mail to that address");
        six_digits(body)
    }

    /// The six-digit code in the newest SMS to `phone`.
    /// The texts of every SMS sent to `phone`, oldest first.
    pub fn sms_to(&self, phone: &str) -> Vec<String> {
        self.sms()
            .iter()
            .filter(|m| m["to"] == phone)
            .map(|m| m["text"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    pub fn last_code(&self, phone: &str) -> String {
        let msgs = self.sms();
        let text = msgs
            .iter()
            .rev()
            .find(|m| m["to"] == phone)
            .map(|m| m["text"].as_str().unwrap().to_string())
            .expect("an SMS to that phone");
        six_digits(&text)
    }

    pub async fn register(&self, phone: &str, email: &str) -> Value {
        let r = self
            .post(
                "/api/v1/auth/register",
                json!({ "phone": phone, "email": email, "password": PASSWORD }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json().await.unwrap()
    }

    /// Registers and confirms an account; returns its E.164 phone.
    pub async fn citizen(&self, phone: &str, email: &str) -> String {
        let reg = self.register(phone, email).await;
        let e164 = reg["phone"].as_str().unwrap().to_string();
        let r = self
            .post(
                "/api/v1/auth/register/confirm",
                json!({ "phone": e164, "code": self.last_code(&e164) }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        e164
    }

    /// The first login step, as the client sends it.
    pub async fn login_attempt(
        &self,
        login: impl serde::Serialize,
        password: impl serde::Serialize,
    ) -> Response {
        self.post(
            "/api/v1/auth/login",
            json!({ "login": login, "password": password }),
        )
        .await
    }

    /// The second login step: the challenge and a code.
    pub async fn confirm_login_code(
        &self,
        challenge_id: impl serde::Serialize,
        code: impl serde::Serialize,
    ) -> Response {
        self.post(
            "/api/v1/auth/login/confirm",
            json!({ "challenge_id": challenge_id, "code": code }),
        )
        .await
    }

    /// Password, then the SMS code: returns the bearer token.
    pub async fn login(&self, login: &str, phone: &str, password: &str) -> String {
        let r = self.login_attempt(&login, password).await;
        assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
        let ch: Value = r.json().await.unwrap();
        let r = self
            .confirm_login_code(&ch["challenge_id"], self.last_code(phone))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let s: Value = r.json().await.unwrap();
        s["access_token"].as_str().unwrap().to_string()
    }

    /// An account with the given role, made the operator's way, logged in.
    pub async fn user_with_role(
        &self,
        role: sep_identity::model::Role,
        phone: &str,
    ) -> (uuid::Uuid, String) {
        let client = sep_platform::client::Client::system();
        let email = format!(
            "{}-{}@example.ru",
            role.as_str(),
            phone.trim_start_matches('+')
        );
        let account = sep_identity::service::NewAccount {
            phone,
            email: &email,
            password: PASSWORD,
            roles: &[role],
            level: sep_identity::model::AssuranceLevel::Simplified,
        };
        let u = sep_identity::service::create_user(&self.platform, &client, None, account)
            .await
            .expect("create user");
        let token = self.login(&u.phone, &u.phone, PASSWORD).await;
        (u.id, token)
    }

    /// An officer or integrator acting for `agency`, logged in. An agency
    /// the catalogue lacks is made with the payee of the tests' fines.
    pub async fn agency_staff(
        &self,
        role: sep_identity::model::Role,
        phone: &str,
        agency: &str,
    ) -> (uuid::Uuid, String) {
        let client = sep_platform::client::Client::system();
        let input = sep_catalog::service::AgencyInput {
            code: agency.into(),
            name: sep_kernel::i18n::Text::new(format!("Ведомство {agency}"), agency),
            payee: sep_payments::model::PayeeInput {
                name: "УФК по г. Москве (ГУ МВД России по г. Москве)".into(),
                inn: "7707083893".into(),
                kpp: "773601001".into(),
                bik: "044525225".into(),
                account: "30101810400000000225".into(),
            },
        };
        match sep_catalog::service::create_agency(&self.platform, &client, None, input).await {
            Ok(_) | Err(sep_platform::error::AppError::Conflict(_)) => {}
            Err(e) => panic!("agency {agency}: {e:?}"),
        }
        let (id, token) = self.user_with_role(role, phone).await;
        sep_catalog::service::set_staff_agency(&self.platform, &client, None, id, Some(agency))
            .await
            .expect("staff joins the agency");
        (id, token)
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

/// A real SMTP server (mailin) on a random port that keeps what it receives.
pub mod smtp {
    use mailin_embedded::{Handler, Response, Server, response};
    use std::sync::{Arc, Mutex};

    pub type Inbox = Arc<Mutex<Vec<(String, String)>>>;

    #[derive(Clone)]
    struct Keep {
        inbox: Inbox,
        to: Vec<String>,
        data: Vec<u8>,
    }

    impl Handler for Keep {
        fn data_start(
            &mut self,
            _domain: &str,
            _from: &str,
            _is8bit: bool,
            to: &[String],
        ) -> Response {
            self.to = to.to_vec();
            self.data.clear();
            response::OK
        }

        fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
            self.data.extend_from_slice(buf);
            Ok(())
        }

        fn data_end(&mut self) -> Response {
            let text = String::from_utf8_lossy(&self.data).to_string();
            for to in &self.to {
                self.inbox.lock().unwrap().push((to.clone(), text.clone()));
            }
            response::OK
        }
    }

    pub fn start() -> (u16, Inbox) {
        let inbox: Inbox = Arc::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut server = Server::new(Keep {
            inbox: inbox.clone(),
            to: vec![],
            data: vec![],
        });
        server.with_name("test.smtp").with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        (port, inbox)
    }
}

impl TestApp {
    pub fn clock_unix(&self) -> u64 {
        use sep_platform::clock::Clock;
        self.clock.now().timestamp() as u64
    }
}

impl TestApp {
    /// The id of the account a token belongs to, as its own profile tells it.
    pub async fn user_id(&self, token: &str) -> String {
        let me: Value = self
            .get_auth("/api/v1/profile", token)
            .await
            .json()
            .await
            .unwrap();
        me["user_id"]
            .as_str()
            .expect("profile has user_id")
            .to_string()
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

/// A logged-in person of a test.
pub struct Person {
    pub id: uuid::Uuid,
    pub token: String,
    pub phone: String,
}

impl TestApp {
    /// A citizen of account `level` with a Moscow profile (and `snils`, when given).
    pub async fn applicant(
        &self,
        phone: &str,
        level: sep_identity::model::AssuranceLevel,
        snils: &str,
    ) -> Person {
        let client = sep_platform::client::Client::system();
        let email = format!("{}@example.ru", phone.trim_start_matches('+'));
        let account = sep_identity::service::NewAccount {
            phone,
            email: &email,
            password: PASSWORD,
            roles: &[sep_identity::model::Role::Citizen],
            level,
        };
        let u = sep_identity::service::create_user(&self.platform, &client, None, account)
            .await
            .expect("create user");
        let token = self.login(&u.phone, &u.phone, PASSWORD).await;
        let r = self
            .put_auth(
                "/api/v1/profile",
                &token,
                json!({
                    "last_name": "Петрова", "first_name": "Анна", "patronymic": "Сергеевна",
                    "birth_date": "05.03.1985", "snils": snils,
                    "postcode": "101000", "region_code": "77",
                    "address": "г. Москва, ул. Тверская, д. 1"
                }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
        Person {
            id: u.id,
            token,
            phone: u.phone,
        }
    }

    /// An officer working in `department`.
    pub async fn officer_in(&self, phone: &str, department: &str) -> Person {
        let (id, token) = self
            .user_with_role(sep_identity::model::Role::Officer, phone)
            .await;
        sep_catalog::service::add_officer(
            &self.platform,
            &sep_platform::client::Client::system(),
            None,
            department,
            id,
        )
        .await
        .expect("officer joins the department");
        Person {
            id,
            token,
            phone: phone.to_string(),
        }
    }

    /// Submits with an idempotency key; returns the response.
    pub async fn submit(&self, token: &str, key: &str, body: &Value) -> Response {
        self.http
            .post(self.url("/api/v1/applications"))
            .bearer_auth(token)
            .header("idempotency-key", key)
            .json(body)
            .send()
            .await
            .expect("request")
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

/// Whether the outside programs a test drives are installed. Outside CI a
/// missing one skips the test with a reason; with CI=true it fails it.
pub fn tools_present(paths: &[&str]) -> bool {
    let missing: Vec<_> = paths
        .iter()
        .filter(|p| !std::path::Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but {missing:?} are missing: scripts/test.sh installs them"
    );
    eprintln!("SKIPPED: {missing:?} not installed (scripts/test.sh installs them)");
    false
}

/// Runs a program and returns its standard output, failing the test on an error.
pub fn run_tool(program: &str, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The text of a PDF as `pdftotext -layout` extracts it, with no-break
/// spaces made plain so that sums compare as people read them.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    // For a person to look at: SEP_TEST_KEEP_PDF=dir keeps every PDF read.
    if let Ok(keep) = std::env::var("SEP_TEST_KEEP_PDF") {
        std::fs::create_dir_all(&keep).unwrap();
        let name = format!("{}.pdf", &sha_hex(pdf)[..12]);
        std::fs::write(std::path::Path::new(&keep).join(name), pdf).unwrap();
    }
    let text = run_tool(
        "/usr/bin/pdftotext",
        &["-layout", path.to_str().unwrap(), "-"],
    );
    String::from_utf8(text).unwrap().replace('\u{a0}', " ")
}

/// The QR codes on a PDF's first page, rendered at 200 dpi and read by zbar.
pub fn pdf_qr_codes(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let prefix = dir.path().join("page");
    run_tool(
        "/usr/bin/pdftoppm",
        &[
            "-r",
            "200",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            path.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let png = dir.path().join("page.png");
    let raw = run_tool("/usr/bin/zbarimg", &["-q", "--raw", png.to_str().unwrap()]);
    String::from_utf8(raw)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

pub const PDF_TOOLS: [&str; 3] = [
    "/usr/bin/pdftotext",
    "/usr/bin/pdftoppm",
    "/usr/bin/zbarimg",
];

fn sha_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

impl TestApp {
    /// The JSON body of an authenticated GET.
    pub async fn get_auth_json(&self, path: &str, token: &str) -> Value {
        self.get_auth(path, token).await.json().await.unwrap()
    }

    /// Pays the state fee of application `id` as its applicant would (a test
    /// card and the SMS code) and waits until the application is routed.
    pub async fn pay_fee(&self, person: &Person, id: &str) -> Value {
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
        for _ in 0..250 {
            let a = self.get_auth_json(&path, &person.token).await;
            if a["state"] == "routed" {
                return a;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("application {id} not routed after its fee was paid");
    }
}

/// Whether `openssl cms -verify` accepts `sig` (detached, DER) over `doc`
/// under the CA in `ca` (PEM).
/// `openssl cms -verify` as of `at` (the app's clock, never the wall clock:
/// certificates are made on the app's clock and must be judged on it).
pub fn openssl_verifies(
    dir: &std::path::Path,
    at: chrono::DateTime<chrono::Utc>,
    doc: &[u8],
    sig: &[u8],
    ca: &str,
) -> bool {
    std::fs::write(dir.join("doc.pdf"), doc).unwrap();
    std::fs::write(dir.join("doc.sig"), sig).unwrap();
    std::fs::write(dir.join("ca.pem"), ca).unwrap();
    std::process::Command::new("/usr/bin/openssl")
        .current_dir(dir)
        .args([
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "doc.sig",
            "-content",
            "doc.pdf",
            "-CAfile",
            "ca.pem",
            "-purpose",
            "any",
            "-attime",
            &at.timestamp().to_string(),
            "-out",
            "/dev/null",
        ])
        .output()
        .unwrap()
        .status
        .success()
}

/// The shipped sandbox SMS gateway on a random port: (its URL, its token,
/// the gateway to read deliveries from).
pub async fn sms_gateway(inbox: std::path::PathBuf) -> (String, String, sep_peers::sms::Gateway) {
    let token = "sandbox-sms-token".to_string();
    let gateway = sep_peers::sms::Gateway::new(&token, inbox);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(gateway.clone().serve(listener, std::future::pending()));
    (url, token, gateway)
}
