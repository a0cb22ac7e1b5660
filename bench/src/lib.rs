//! What the two benchmark programs share: signing a person in through the
//! real API, with the SMS code read from the demo outbox file.

use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// An authenticated GET's JSON body.
pub async fn get_json(http: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<Value> {
    Ok(http
        .get(url)
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await?)
}

/// The password every benchmark account has.
pub const PASSWORD: &str = "Bench-Load-2026";

pub fn six_digits(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .map(str::to_string)
}

/// The code in the newest SMS to `phone` in `data/outbox/sms.jsonl` whose
/// text contains `about`.
fn sms_code(data: &Path, phone: &str, about: &str) -> anyhow::Result<Option<String>> {
    let sms = std::fs::read_to_string(data.join("outbox").join("sms.jsonl"))?;
    Ok(sms
        .lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|m| m["to"] == phone && m["text"].as_str().is_some_and(|t| t.contains(about)))
        .and_then(|m| m["text"].as_str().and_then(six_digits)))
}

/// Password, then the SMS code from `data/outbox/sms.jsonl`: a bearer token.
pub async fn login(
    http: &reqwest::Client,
    base: &str,
    data: &Path,
    phone: &str,
) -> anyhow::Result<String> {
    let r: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "login": phone, "password": PASSWORD }))
        .send()
        .await?
        .json()
        .await?;
    let challenge = r["challenge_id"]
        .as_str()
        .with_context(|| format!("a challenge for {phone}: {r}"))?
        .to_string();
    let code = sms_code(data, phone, "").context("an SMS code")?;
    let s: Value = http
        .post(format!("{base}/api/v1/auth/login/confirm"))
        .json(&json!({ "challenge_id": challenge, "code": code }))
        .send()
        .await?
        .json()
        .await?;
    Ok(s["access_token"].as_str().context("a token")?.to_string())
}

/// Fills a benchmark person's profile (what certificates are issued from).
pub async fn fill_profile(http: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<()> {
    let r = http
        .put(format!("{base}/api/v1/profile"))
        .bearer_auth(token)
        .json(&json!({
            "last_name": "Нагрузочная", "first_name": "Анна", "patronymic": "Сергеевна",
            "birth_date": "05.03.1985", "inn": "500100732259",
            "postcode": "101000", "region_code": "77",
            "address": "г. Москва, ул. Тверская, д. 1"
        }))
        .send()
        .await?;
    if !r.status().is_success() {
        anyhow::bail!("profile: {}", r.text().await?);
    }
    Ok(())
}

/// Tops the personal account up by a sandbox test card, confirmed by the SMS
/// code from the outbox, and waits until the payment has settled.
pub async fn top_up(
    http: &reqwest::Client,
    base: &str,
    data: &std::path::Path,
    token: &str,
    phone: &str,
    kopecks: i64,
) -> anyhow::Result<()> {
    let p: Value = http
        .post(format!("{base}/api/v1/payments"))
        .bearer_auth(token)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&json!({
            "top_up_kopecks": kopecks, "method": "card",
            "card": { "number": "4111 1111 1111 1111", "expiry": "12/30", "cvc": "123" }
        }))
        .send()
        .await?
        .json()
        .await?;
    let id = p["id"].as_str().context("a payment")?.to_string();
    let code = sms_code(data, phone, "оплаты").context("the payment's SMS code")?;
    http.post(format!("{base}/api/v1/payments/{id}/confirm"))
        .bearer_auth(token)
        .json(&json!({ "code": code }))
        .send()
        .await?;
    for _ in 0..500 {
        let p = get_json(http, &format!("{base}/api/v1/payments/{id}"), token).await?;
        if p["state"] == "succeeded" {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bail!("the top-up of {phone} never settled")
}
