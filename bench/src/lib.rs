//! What the two benchmark programs share: signing a person in through the
//! real API, with the SMS code read from the demo outbox file.

use anyhow::Context;
use serde_json::{Value, json};
use std::path::Path;

/// The password every benchmark account has.
pub const PASSWORD: &str = "Bench-Load-2026";

pub fn six_digits(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .map(str::to_string)
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
    let sms = std::fs::read_to_string(data.join("outbox").join("sms.jsonl"))?;
    let code = sms
        .lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|m| m["to"] == phone)
        .and_then(|m| m["text"].as_str().and_then(six_digits))
        .context("an SMS code")?;
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
