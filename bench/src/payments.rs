//! The payments phases: paying charges from the personal account's balance
//! (intent, hold, per-account lock, ledger, receipt number, audit, event and
//! the receipt mail, all through the API) and rendering receipt PDFs.
//!
//! Setup goes through the same doors a person uses: each applicant tops up
//! their account by a test card with the SMS code from the outbox, and the
//! charges are posted by an agency (in process, through the service).

use crate::{Args, Phase, run_phase, six_digits};
use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Each charge costs 100 ₽.
const CHARGE_KOPECKS: i64 = 10_000;

pub struct Users<'a> {
    pub tokens: &'a Arc<Vec<String>>,
    pub phones: &'a [String],
}

async fn top_up(
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
    let sms = std::fs::read_to_string(data.join("outbox").join("sms.jsonl"))?;
    let code = sms
        .lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|m| m["to"] == phone && m["text"].as_str().is_some_and(|t| t.contains("оплаты")))
        .and_then(|m| m["text"].as_str().and_then(six_digits))
        .context("the payment's SMS code")?;
    http.post(format!("{base}/api/v1/payments/{id}/confirm"))
        .bearer_auth(token)
        .json(&json!({ "code": code }))
        .send()
        .await?;
    for _ in 0..500 {
        let p: Value = http
            .get(format!("{base}/api/v1/payments/{id}"))
            .bearer_auth(token)
            .send()
            .await?
            .json()
            .await?;
        if p["state"] == "succeeded" {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bail!("the top-up of {phone} never settled")
}

async fn post_charges(
    platform: &sep_platform::Platform,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let agency = sep_identity::service::Principal {
        user_id: uuid::Uuid::nil(),
        session_id: uuid::Uuid::nil(),
        roles: vec![sep_identity::model::Role::Integrator],
        // The traffic police's system: its payee is the catalogue's.
        agency: Some("gibdd".into()),
    };
    let client = sep_platform::client::Client::system();
    let mut uins = Vec::with_capacity(count);
    for n in 0..count {
        let uin = sep_kernel::Uin::with_control_digit(&format!("1881017799{n:09}"))
            .map_err(|r| anyhow::anyhow!("{r:?}"))?
            .to_string();
        let input = sep_payments::model::ChargeInput {
            uin: uin.clone(),
            payer_inn: Some("500100732259".into()),
            kind: Some(sep_payments::model::ChargeKind::Fine),
            purpose: format!("Штраф ГИБДД по постановлению {n}"),
            amount_kopecks: CHARGE_KOPECKS,
            ..Default::default()
        };
        sep_payments::service::post_charge(platform, &client, &agency, input)
            .await
            .map_err(|e| anyhow::anyhow!("charge {uin}: {e}"))?;
        uins.push(uin);
    }
    Ok(uins)
}

pub async fn run(
    args: &Args,
    http: &reqwest::Client,
    base: &str,
    data: &std::path::Path,
    platform: &sep_platform::Platform,
    users: Users<'_>,
) -> anyhow::Result<Vec<String>> {
    // Enough charges that the phase never runs out at a few thousand a second.
    let count = 1_500 * args.seconds as usize;
    let per_user = (count / users.phones.len() + 1) as i64 * CHARGE_KOPECKS;
    for (token, phone) in users.tokens.iter().zip(users.phones) {
        top_up(http, base, data, token, phone, per_user).await?;
    }
    let uins = Arc::new(post_charges(platform, count).await?);
    let next = Arc::new(AtomicUsize::new(0));
    let paid = Arc::new(std::sync::Mutex::new(Vec::<(usize, String)>::new()));
    let payments = Phase::new();
    let secs = {
        let (http, base, tokens) = (http.clone(), base.to_string(), users.tokens.clone());
        let (uins, next, paid) = (uins.clone(), next.clone(), paid.clone());
        let n_users = tokens.len();
        run_phase(args, payments.clone(), move |worker, n| {
            let (http, base, tokens) = (http.clone(), base.clone(), tokens.clone());
            let (uins, next, paid) = (uins.clone(), next.clone(), paid.clone());
            async move {
                let Some(uin) = uins.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    return false;
                };
                let user = (worker + n as usize) % n_users;
                let r = http
                    .post(format!("{base}/api/v1/payments"))
                    .bearer_auth(&tokens[user])
                    .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                    .json(&json!({ "charges": [uin], "method": "balance", "password": "Bench-Load-2026" }))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().as_u16() == 201 => {
                        if let Ok(v) = r.json::<Value>().await
                            && v["state"] == "succeeded"
                            && let Some(id) = v["id"].as_str()
                        {
                            paid.lock().unwrap().push((user, id.to_string()));
                            return true;
                        }
                        false
                    }
                    _ => false,
                }
            }
        })
        .await
    };
    let mut lines = vec![payments.report("balance pays", secs)];
    let paid = Arc::new(paid.lock().unwrap().clone());
    if paid.is_empty() {
        bail!("no payment succeeded");
    }
    let receipts = Phase::new();
    let secs = {
        let (http, base, tokens, paid) = (
            http.clone(),
            base.to_string(),
            users.tokens.clone(),
            paid.clone(),
        );
        run_phase(args, receipts.clone(), move |worker, n| {
            let (http, base, tokens, paid) =
                (http.clone(), base.clone(), tokens.clone(), paid.clone());
            async move {
                let (user, id) = &paid[(worker * 7919 + n as usize) % paid.len()];
                match http
                    .get(format!("{base}/api/v1/payments/{id}/receipt.pdf"))
                    .bearer_auth(&tokens[*user])
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => {
                        r.bytes().await.is_ok_and(|b| b.starts_with(b"%PDF-"))
                    }
                    _ => false,
                }
            }
        })
        .await
    };
    lines.push(receipts.report("receipt PDFs", secs));
    Ok(lines)
}
