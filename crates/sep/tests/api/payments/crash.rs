//! A crash between the acquirer's confirmation and СЭП's own update: the
//! server runs as a real `sep serve` process, sharing the database with the
//! test's app (instances are stateless), and is killed with SIGKILL at the
//! worst moments. The sandbox acquirer runs in the test, outliving it.

use crate::helpers::*;
use crate::payments::api::{GOOD_CARD, by_card, uin};
use crate::payments::charges::{SNILS, fine};
use reqwest::StatusCode;
use sep_identity::{model::AssuranceLevel, model::Role};
use sep_payments::acquirer::sandbox::SmsBridge;
use sep_peers::acquirer::{self, Sandbox};
use sep_platform::messages::SmsTransport;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const SECRET: &str = "crash-test-shop-secret";
const TIMEOUT_CARD: &str = "4000 0000 0000 0119";

/// A `sep serve` process on `port`, talking to the test's acquirer.
async fn start(app: &TestApp, port: u16, acquirer_url: &str) -> Server {
    let base = format!("http://127.0.0.1:{port}");
    Server::start(
        app,
        port,
        &[
            ("SEP_ACQUIRER_URL", acquirer_url.to_string()),
            ("SEP_ACQUIRER_SECRET", SECRET.to_string()),
            (
                "SEP_ACQUIRER_CALLBACK_URL",
                format!("{base}/api/v1/payments/callback"),
            ),
            ("SEP_ACQUIRER_TIMEOUT_MS", "1500".to_string()),
        ],
    )
    .await
}

#[tokio::test]
async fn a_crash_between_the_acquirers_confirmation_and_ours_loses_nothing() {
    let app = TestApp::spawn().await;
    let payer = app
        .applicant("+79161270001", AssuranceLevel::Standard, SNILS)
        .await;
    let (_, officer) = app
        .agency_staff(Role::Officer, "+79161270002", "gibdd")
        .await;
    let (first, second) = (uin(101), uin(102));
    for u in [&first, &second] {
        let r = app.post_auth("/api/v1/charges", &officer, fine(u)).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }

    let mut config = acquirer::Config::new("sep", SECRET);
    config.settle_after = Duration::from_millis(1500);
    config.hang_for = Duration::from_secs(3);
    config.retry_first = Duration::from_millis(100);
    config.retry_max = Duration::from_millis(400);
    let sms = SmsBridge(SmsTransport::File(
        app.data_dir.join("outbox").join("sms.jsonl"),
    ));
    let sandbox = Sandbox::open(&app.data_dir.join("test-acquirer"), config, Arc::new(sms))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let acquirer_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(sandbox.serve(listener, std::future::pending()));
    let http = reqwest::Client::new();
    let acquirer_get = |path: String| {
        http.get(format!("{acquirer_url}{path}"))
            .basic_auth("sep", Some(SECRET))
            .send()
    };

    let port = free_port();
    let server = start(&app, port, &acquirer_url).await;
    let pay = |uin: String, card: &'static str, key: &'static str| {
        http.post(format!("{}/api/v1/payments", server.base))
            .bearer_auth(&payer.token)
            .header("Idempotency-Key", key)
            .json(&by_card(&[&uin], card))
            .send()
    };
    let confirm = |id: String, code: String| {
        http.post(format!("{}/api/v1/payments/{id}/confirm", server.base))
            .bearer_auth(&payer.token)
            .json(&json!({ "code": code }))
            .send()
    };

    // 1. Killed right after the confirmation was accepted: the acquirer's
    //    callback finds nobody, and keeps trying.
    let r = pay(first.clone(), GOOD_CARD, "crash-1").await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let one: Value = r.json().await.unwrap();
    let one_id = one["id"].as_str().unwrap().to_string();
    let r = confirm(one_id, app.last_code(&payer.phone)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // 2. Killed while the acquirer holds the confirmation (it has taken the
    //    money; we have not heard): no callback will ever come for this card.
    let r = pay(second.clone(), TIMEOUT_CARD, "crash-2").await.unwrap();
    let two: Value = r.json().await.unwrap();
    let two_id = two["id"].as_str().unwrap().to_string();
    let acquirer_two = app
        .raw_text(
            "SELECT acquirer_payment_id FROM payment_intents WHERE idempotency_key = 'crash-2'",
        )
        .await[0]
        .clone()
        .unwrap();
    let in_flight = tokio::spawn(confirm(two_id, app.last_code(&payer.phone)));
    for _ in 0..200 {
        let p: Value = acquirer_get(format!("/v1/payments/{acquirer_two}"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if p["status"] != "waiting_for_confirmation" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill().await;
    assert!(
        in_flight.await.unwrap().is_err(),
        "the answer died with the server"
    );

    let states = |key: &'static str| {
        let app = &app;
        async move {
            app.raw_text(&format!(
                "SELECT state FROM payment_intents WHERE idempotency_key = '{key}'"
            ))
            .await[0]
                .clone()
                .unwrap()
        }
    };
    assert_eq!(states("crash-1").await, "processing");
    assert_eq!(
        states("crash-2").await,
        "requires_confirmation",
        "we never heard"
    );
    // The acquirer has settled both and is retrying the first callback.
    for _ in 0..300 {
        let log: Value = acquirer_get("/v1/sandbox/callbacks".into())
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let failing = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["event"] == "payment.succeeded" && c["attempts"].as_u64() >= Some(1));
        if failing {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Back up on the same address: the retried callback lands.
    let server = start(&app, port, &acquirer_url).await;
    for _ in 0..300 {
        if states("crash-1").await == "succeeded" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(states("crash-1").await, "succeeded");

    // The second is found by asking, once it has waited long enough (the
    // server's clock ran on from the app's; the command starts from the app's).
    app.clock.advance(chrono::Duration::minutes(1));
    let out = app
        .cli_with(
            &["payments", "reconcile"],
            &[
                ("SEP_ACQUIRER_URL", &acquirer_url),
                ("SEP_ACQUIRER_SECRET", SECRET),
            ],
        )
        .await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("moved 1"), "{text}");
    assert_eq!(states("crash-2").await, "succeeded");
    server.kill().await;

    for u in [&first, &second] {
        let c: Value = app
            .get(&format!("/api/v1/charges/{u}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(c["status"], "paid", "{u}");
    }
    let moved = app
        .raw_text("SELECT reference FROM ledger_movements WHERE kind = 'payment'")
        .await;
    assert_eq!(moved.len(), 2, "each payment booked once");
    let verify = app.cli(&["ledger", "verify"]).await;
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}
