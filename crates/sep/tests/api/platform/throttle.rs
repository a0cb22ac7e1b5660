//! Rate limits: public and heavy routes per client address (an IPv6 /64 is
//! one client, behind a trusted proxy its header names the client), SMS per
//! destination number, and password resets per login with one answer for an
//! account and for none.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

async fn get_from(app: &TestApp, path: &str, forwarded: Option<&str>) -> reqwest::Response {
    let mut r = app.http.get(app.url(path));
    if let Some(ip) = forwarded {
        r = r.header("x-forwarded-for", ip);
    }
    r.send().await.expect("request")
}

const CHARGE: &str = "/api/v1/charges/52601815908301661312";

#[tokio::test]
async fn a_flood_of_public_lookups_is_refused_while_a_citizens_reads_go_on() {
    let app = TestApp::spawn_with(|c| {
        c.public_rate_burst = 5;
        c.public_rate_refill_ms = 3_600_000;
    })
    .await;
    let phone = app.citizen("+79161280001", "flood@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    for i in 0..5 {
        let r = get_from(&app, CHARGE, None).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "request {i} is served");
    }
    let r = get_from(&app, CHARGE, None).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&r);
    assert!(wait > 0, "{wait}");
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        problem["title"],
        "Слишком много запросов с вашего адреса, повторите позже"
    );
    // The page door shares the address's allowance.
    let r = get_from(&app, "/services", None).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // A session's own reads are not public look-ups.
    for _ in 0..10 {
        let r = app.get_auth("/api/v1/profile", &token).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_counts_and_a_slash_64_is_one_client() {
    let app = TestApp::spawn_with(|c| {
        c.public_rate_burst = 2;
        c.public_rate_refill_ms = 3_600_000;
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let a = Some("2001:db8:1:2::1");
    let same_64 = Some("2001:db8:1:2:ffff::9");
    let other_64 = Some("2001:db8:1:3::1");
    assert_eq!(
        get_from(&app, CHARGE, a).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_from(&app, CHARGE, same_64).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_from(&app, CHARGE, a).await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "one /64, one allowance"
    );
    assert_eq!(
        get_from(&app, CHARGE, other_64).await.status(),
        StatusCode::NOT_FOUND,
        "another client behind the same proxy keeps its own"
    );
    // A client cannot escape by writing the header itself: the proxy appends
    // the real address, and that is the one read.
    let spoofed = Some("198.51.100.77, 2001:db8:1:2::1");
    assert_eq!(
        get_from(&app, CHARGE, spoofed).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn without_a_trusted_proxy_the_header_is_ignored() {
    let app = TestApp::spawn_with(|c| {
        c.public_rate_burst = 2;
        c.public_rate_refill_ms = 3_600_000;
    })
    .await;
    for ip in ["203.0.113.1", "203.0.113.2"] {
        assert_eq!(
            get_from(&app, CHARGE, Some(ip)).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        get_from(&app, CHARGE, Some("203.0.113.3")).await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the peer is the client, whatever the header says"
    );
}

#[tokio::test]
async fn digest_checks_are_heavy_work_limited_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.heavy_rate_burst = 3;
        c.heavy_rate_refill_secs = 3600;
    })
    .await;
    let body = json!({ "sha256": "ab".repeat(32) });
    for _ in 0..3 {
        let r = app.post("/api/v1/verify", body.clone()).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let r = app.post("/api/v1/verify", body).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&r) > 0);
    let r = app
        .http
        .post(app.url("/verify"))
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.7".to_vec()).file_name("a.pdf"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the page door too"
    );
}

#[tokio::test]
async fn a_number_gets_so_many_sms_an_hour_whoever_asks() {
    let app = TestApp::spawn_with(|c| {
        c.sms_per_hour = 3;
        c.auth_rate_burst = 1000;
    })
    .await;
    let phone = app.citizen("+79161280011", "sms-cap@mail.ru").await; // 1: registration code
    app.login(&phone, &phone, PASSWORD).await; // 2: login code
    app.login(&phone, &phone, PASSWORD).await; // 3: login code
    let sent = app.sms_to(&phone).len();
    assert_eq!(sent, 3);
    let r = app.login_attempt(&phone, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&r);
    assert!(wait > 0 && wait <= 3600, "{wait}");
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        problem["title"],
        "На этот номер уже отправлено слишком много SMS, повторите позже"
    );
    // A reset does not say so (that would tell an account exists): no SMS, the usual answer.
    let r = app
        .post("/api/v1/auth/password/forgot", json!({ "login": phone }))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(app.sms_to(&phone).len(), sent, "nothing more was sent");
    // An hour on, the number has its allowance back.
    app.clock.advance(chrono::Duration::minutes(61));
    let r = app.login_attempt(&phone, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.sms_to(&phone).len(), sent + 1);
}

#[tokio::test]
async fn a_reset_asked_twice_waits_the_same_for_an_account_and_for_none() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79161280021", "reset-twice@mail.ru").await;
    let mut waits = Vec::new();
    for login in [phone.as_str(), "nobody-at-all@mail.ru"] {
        let first = app
            .post("/api/v1/auth/password/forgot", json!({ "login": login }))
            .await;
        assert_eq!(first.status(), StatusCode::ACCEPTED, "{login}");
        let second = app
            .post("/api/v1/auth/password/forgot", json!({ "login": login }))
            .await;
        assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS, "{login}");
        let wait = retry_after(&second);
        let problem: serde_json::Value = second.json().await.unwrap();
        waits.push((wait, problem["title"].clone(), problem["detail"].clone()));
    }
    assert_eq!(waits[0], waits[1], "the answers cannot be told apart");
}

#[tokio::test]
async fn codes_go_through_the_sms_gateways_api_and_serve_refuses_the_file_outbox_outside_the_demo()
{
    let inbox = tempfile::tempdir().unwrap();
    let (url, token, _gateway) = sms_gateway(inbox.path().join("handsets.jsonl")).await;
    let app = TestApp::spawn_with(|c| {
        c.sms_url = Some(url.clone());
        c.sms_token = Some(token.clone());
    })
    .await;
    let r = app
        .post(
            "/api/v1/auth/register",
            json!({ "phone": "+79161280031", "email": "gw@mail.ru", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = reqwest::Client::new()
        .get(format!("{url}/v1/messages?to=%2B79161280031"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let delivered: serde_json::Value = r.json().await.unwrap();
    let text = delivered[0]["text"].as_str().unwrap_or_default();
    assert!(
        text.chars().filter(char::is_ascii_digit).count() >= 6,
        "the code reached the handset: {delivered}"
    );
    assert!(app.sms().is_empty(), "nothing in the file outbox");
    // A wrong token is refused by the gateway, and the message waits to be retried.
    let r = reqwest::Client::new()
        .post(format!("{url}/v1/messages"))
        .bearer_auth("wrong")
        .json(&json!({ "to": "+79161280031", "text": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // `sep serve` outside the demo, with no gateway or mail server, says what to set.
    let out = app
        .cli_with(
            &["serve"],
            &[("SEP_ADDR", "127.0.0.1:0"), ("SEP_SMS_URL", "")],
        )
        .await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SEP_SMS_URL"), "{err}");
}
