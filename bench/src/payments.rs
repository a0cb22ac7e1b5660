//! The payments phases: paying charges from the personal account's balance
//! (intent, hold, per-account lock, ledger, receipt number, audit, event and
//! the receipt mail, all through the API) and rendering receipt PDFs.
//!
//! Setup goes through the same doors a person uses: each applicant tops up
//! their account by a test card with the SMS code from the outbox, and the
//! charges are posted by an agency (in process, through the service).

use crate::{Args, Phase, run_phase};
use anyhow::bail;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Each charge costs 100 ₽.
const CHARGE_KOPECKS: i64 = 10_000;

pub struct Users<'a> {
    pub tokens: &'a Arc<Vec<String>>,
    pub phones: &'a [String],
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
        sep_bench::top_up(http, base, data, token, phone, per_user).await?;
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
