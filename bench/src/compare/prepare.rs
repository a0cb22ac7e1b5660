//! What the measured paths need, made through the product's own doors: the
//! accounts by the `sep user create` command, their sessions by the login
//! API (the SMS code from the demo outbox), one application each to read
//! back, and one issued certificate whose digest the public check is asked.

use crate::procs::sep_cli;
use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::path::Path;

pub struct Fixture {
    pub phones: Vec<String>,
    pub tokens: Vec<String>,
    /// (user index, application id)
    pub applications: Vec<(usize, String)>,
    pub document_sha256: String,
    /// УИН of unpaid fines, for the payments from the balance.
    pub charges: Vec<String>,
}

/// The submission every measured POST makes (a service with a state fee).
pub fn submission() -> Value {
    json!({ "service": "egrn-extract", "answers": {
        "full_name": "Нагрузочный Тест Тестович", "phone": "+79165551234",
        "cadastral_number": "77:01:0001001:1" } })
}

pub async fn fixture(
    sep: &Path,
    env: &[(String, String)],
    base: &str,
    data: &Path,
    users: usize,
) -> anyhow::Result<Fixture> {
    let http = reqwest::Client::new();
    let mut fx = Fixture {
        phones: Vec::new(),
        tokens: Vec::new(),
        applications: Vec::new(),
        document_sha256: String::new(),
        charges: Vec::new(),
    };
    for i in 0..users {
        let phone = format!("+7902{:07}", i + 1);
        create_user(
            sep,
            env,
            &phone,
            &format!("compare{i}@example.ru"),
            "citizen",
        )?;
        let token = sep_bench::login(&http, base, data, &phone).await?;
        let r = http
            .post(format!("{base}/api/v1/applications"))
            .bearer_auth(&token)
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .json(&submission())
            .send()
            .await?;
        if r.status().as_u16() != 201 {
            bail!("submission: {} {}", r.status(), r.text().await?);
        }
        let v: Value = r.json().await?;
        let id = v["id"].as_str().context("an application id")?.to_string();
        pay_fee(&http, base, data, &token, &phone, &id).await?;
        fx.applications.push((i, id));
        fx.phones.push(phone);
        fx.tokens.push(token);
    }
    fx.document_sha256 = issued_digest(&http, base, &fx.tokens[0]).await?;
    Ok(fx)
}

/// A benchmark account made by the operator's command, confirmed level.
fn create_user(
    sep: &Path,
    env: &[(String, String)],
    phone: &str,
    email: &str,
    role: &str,
) -> anyhow::Result<()> {
    sep_cli(
        sep,
        env,
        &[
            "user",
            "create",
            "--phone",
            phone,
            "--email",
            email,
            "--password",
            sep_bench::PASSWORD,
            "--role",
            role,
            "--level",
            "confirmed",
        ],
    )
}

/// Each fine costs 100 ₽.
const FINE_KOPECKS: i64 = 10_000;

/// Posts `count` fines as the traffic police's system would (an integrator
/// of the agency, through the API) and tops every person's balance up by
/// their share of them.
pub async fn charges(
    sep: &Path,
    env: &[(String, String)],
    base: &str,
    data: &Path,
    fx: &mut Fixture,
    count: usize,
) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let phone = "+79029999999";
    create_user(sep, env, phone, "gibdd-system@example.ru", "integrator")?;
    sep_cli(
        sep,
        env,
        &["user", "set-agency", phone, "--agency", "gibdd"],
    )?;
    let token = sep_bench::login(&http, base, data, phone).await?;
    for n in 0..count {
        let uin = sep_kernel::Uin::with_control_digit(&format!("1881017799{n:09}"))
            .map_err(|r| anyhow::anyhow!("{r:?}"))?
            .to_string();
        let r = http
            .post(format!("{base}/api/v1/charges"))
            .bearer_auth(&token)
            .json(&json!({
                "uin": uin, "payer_inn": "500100732259", "kind": "fine",
                "purpose": format!("Штраф ГИБДД по постановлению {n}"),
                "amount_kopecks": FINE_KOPECKS
            }))
            .send()
            .await?;
        if r.status().as_u16() != 201 {
            bail!("posting a fine: {} {}", r.status(), r.text().await?);
        }
        fx.charges.push(uin);
    }
    let share = (count / fx.tokens.len() + 1) as i64 * FINE_KOPECKS;
    for (token, phone) in fx.tokens.iter().zip(&fx.phones) {
        sep_bench::top_up(&http, base, data, token, phone, share).await?;
    }
    Ok(())
}

/// Pays the application's state fee from the balance (topped up by card
/// first) and waits until it has gone on to its department: status reads
/// are of an application in its working life, not of one awaiting payment.
async fn pay_fee(
    http: &reqwest::Client,
    base: &str,
    data: &Path,
    token: &str,
    phone: &str,
    id: &str,
) -> anyhow::Result<()> {
    let url = format!("{base}/api/v1/applications/{id}");
    let read = || sep_bench::get_json(http, &url, token);
    let mut app = read().await?;
    for _ in 0..500 {
        if app["fee_uin"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        app = read().await?;
    }
    let uin = app["fee_uin"]
        .as_str()
        .with_context(|| format!("the fee's УИН: {app}"))?
        .to_string();
    let fee = app["fee_kopecks"].as_i64().context("the fee")?;
    sep_bench::top_up(http, base, data, token, phone, fee).await?;
    let r = http
        .post(format!("{base}/api/v1/payments"))
        .bearer_auth(token)
        .header("idempotency-key", uuid::Uuid::new_v4().to_string())
        .json(&json!({ "charges": [uin], "method": "balance", "password": sep_bench::PASSWORD }))
        .send()
        .await?;
    if !r.status().is_success() {
        bail!("paying the fee: {} {}", r.status(), r.text().await?);
    }
    for _ in 0..500 {
        if read().await?["state"] != "awaiting_payment" {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    bail!("application {id} still awaits its fee")
}

/// Orders a tax-status certificate (issued at once, signed by the agency)
/// and returns its file's SHA-256.
async fn issued_digest(http: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<String> {
    sep_bench::fill_profile(http, base, token).await?;
    let r = http
        .post(format!("{base}/api/v1/documents/orders"))
        .bearer_auth(token)
        .json(&json!({ "kinds": ["tax-status"] }))
        .send()
        .await?;
    let v: Value = r.json().await?;
    let id = v["documents"][0]["id"]
        .as_str()
        .with_context(|| format!("an ordered document: {v}"))?;
    let d = sep_bench::get_json(http, &format!("{base}/api/v1/documents/{id}"), token).await?;
    Ok(d["sha256"]
        .as_str()
        .with_context(|| format!("an issued document's digest: {d}"))?
        .to_string())
}

/// Waits until no benchmark person has an application still being checked
/// or routed: the follow-up of every submission is done.
pub async fn drained(base: &str, fx: &Fixture) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    for _ in 0..6000 {
        let mut waiting = 0;
        for token in &fx.tokens {
            let v: Value = http
                .get(format!(
                    "{base}/api/v1/applications?state=accepted,checking&limit=1"
                ))
                .bearer_auth(token)
                .send()
                .await?
                .json()
                .await?;
            waiting += v.as_array().map_or(0, Vec::len);
        }
        if waiting == 0 {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    bail!("submissions still unrouted after ten minutes")
}

/// Waits until the outboxes are empty — every event dispatched, every
/// message sent — so that the next row does not measure the last one's
/// follow-up. Read straight from `sep`'s database: no door says it.
pub async fn quiet(db: &crate::procs::Database) -> anyhow::Result<f64> {
    use sea_orm::{ConnectionTrait, Statement};
    let conn = sea_orm::Database::connect(db.url()).await?;
    let sql = "SELECT CAST((SELECT COUNT(*) FROM domain_events WHERE dispatched_at IS NULL) \
               + (SELECT COUNT(*) FROM outbound_messages WHERE sent_at IS NULL) AS BIGINT) AS n";
    let t = std::time::Instant::now();
    for _ in 0..6000 {
        let row = conn
            .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
            .await?
            .ok_or_else(|| anyhow::anyhow!("no count"))?;
        if row.try_get::<i64>("", "n")? == 0 {
            conn.close().await?;
            return Ok(t.elapsed().as_secs_f64());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    bail!("the outboxes still not empty after ten minutes")
}
