use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn register_sends_a_code_and_confirm_activates() {
    let app = TestApp::spawn().await;
    let reg = app.register("8 (912) 345-67-89", "Ivan@Mail.RU").await;
    assert_eq!(reg["phone"], "+79123456789");
    assert_eq!(reg["code_sent_to"], "+7 912 ***-**-89");
    let sms = app.sms();
    assert_eq!(sms.len(), 1);
    assert!(
        sms[0]["text"]
            .as_str()
            .unwrap()
            .contains("код подтверждения")
    );
    assert!(sms[0]["at"].as_str().is_some());

    // Not confirmed yet: login is refused even with the right password.
    let r = app.login_attempt("+79123456789", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let r = app
        .post(
            "/api/v1/auth/register/confirm",
            json!({ "phone": "+79123456789", "code": "000000" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "code");
    assert_eq!(body["errors"][0]["code"], "code-wrong");

    let r = app
        .post(
            "/api/v1/auth/register/confirm",
            json!({ "phone": "+79123456789", "code": app.last_code("+79123456789") }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let token = app.login("ivan@mail.ru", "+79123456789", PASSWORD).await;
    let me: Value = app
        .get_auth("/api/v1/profile", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["level"], "simplified");
    assert_eq!(me["roles"], json!(["citizen"]));
    assert_eq!(me["email"], "ivan@mail.ru");
}

#[tokio::test]
async fn bad_registration_names_every_field_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let r = app
        .post(
            "/api/v1/auth/register",
            json!({ "phone": "+7 495 123-45-67", "email": "ivan@", "password": "Password123" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: Value = r.json().await.unwrap();
    let got: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("phone".into(), "phone-not-mobile".into()),
            ("email".into(), "email-format".into()),
            ("password".into(), "password-common".into())
        ]
    );
    assert_eq!(
        body["errors"][0]["message"],
        "Телефон: нужен мобильный номер (+7 9XX …), на него придёт SMS"
    );
    assert!(app.sms().is_empty(), "nothing is sent for a refused form");

    let r = app
        .http
        .post(app.url("/api/v1/auth/register"))
        .header("accept-language", "en")
        .json(&json!({ "phone": "", "email": "a@b.ru", "password": "x" }))
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["message"], "Phone: is required");
    assert_eq!(body["title"], "Some fields are wrong");
}

#[tokio::test]
async fn a_registration_neither_reveals_an_account_nor_replaces_a_live_one() {
    let app = TestApp::spawn().await;
    let phone = "+79123456789";
    app.register(phone, "first@mail.ru").await;
    let sent = app.sms_to(phone).len();
    // Someone else's registration with the same phone, while the first code
    // is live: refused until it expires, and no SMS is sent for it.
    let again = json!({ "phone": phone, "email": "second@mail.ru", "password": PASSWORD });
    let r = app.post("/api/v1/auth/register", again.clone()).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&r);
    assert!(
        wait <= 60,
        "one attempt a minute per number, whoever: {wait}"
    );
    app.clock.advance(chrono::Duration::seconds(61));
    let r = app.post("/api/v1/auth/register", again.clone()).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&r);
    assert!(wait > 60 && wait <= 240, "until the code expires: {wait}");
    assert_eq!(
        app.sms_to(phone).len(),
        sent,
        "no SMS for a refused attempt"
    );
    // The same person retrying waits only for the resend pause, now over:
    // a new code.
    let same = json!({ "phone": phone, "email": "first@mail.ru", "password": PASSWORD });
    let r = app.post("/api/v1/auth/register", same).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(app.sms_to(phone).len(), sent + 1);
    // Once the code has expired, a pending registration proves nothing.
    app.clock.advance(chrono::Duration::minutes(6));
    app.register(phone, "second@mail.ru").await;
    let r = app
        .post(
            "/api/v1/auth/register/confirm",
            json!({ "phone": phone, "code": app.last_code(phone) }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // An account that exists is not revealed: the same answer as a new
    // registration, no account made, and the owner is told by SMS. (Within
    // a minute of the last attempt it would be 429, as for any number.)
    app.clock.advance(chrono::Duration::seconds(61));
    let sent = app.sms_to(phone).len();
    let r = app
        .post(
            "/api/v1/auth/register",
            json!({ "phone": phone, "email": "third@mail.ru", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code_sent_to"], "+7 912 ***-**-89");
    let texts = app.sms_to(phone);
    assert_eq!(texts.len(), sent + 1);
    assert!(
        texts.last().unwrap().contains("уже есть учётная запись"),
        "{texts:?}"
    );
    let accounts = app
        .raw_text("SELECT email FROM users WHERE email = 'third@mail.ru'")
        .await;
    assert!(accounts.is_empty(), "no second account");
    // Confirming or resending for it says what it says for any dead code.
    for path in [
        "/api/v1/auth/register/confirm",
        "/api/v1/auth/register/resend",
    ] {
        let r = app
            .post(path, json!({ "phone": phone, "code": "123456" }))
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["errors"][0]["code"], "code-expired", "{path}");
    }
}

#[tokio::test]
async fn codes_expire_allow_five_tries_and_resend_waits_a_minute() {
    let app = TestApp::spawn().await;
    let phone = "+79123456789";
    app.register(phone, "ivan@mail.ru").await;
    let r = app
        .post("/api/v1/auth/register/resend", json!({ "phone": phone }))
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&r) <= 60);

    for _ in 0..5 {
        let r = app
            .post(
                "/api/v1/auth/register/confirm",
                json!({ "phone": phone, "code": "111111" }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let good = app.last_code(phone);
    let r = app
        .post(
            "/api/v1/auth/register/confirm",
            json!({ "phone": phone, "code": good }),
        )
        .await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["code"], "code-attempts",
        "the right code after five wrong ones is refused"
    );

    app.clock.advance(chrono::Duration::seconds(61));
    let r = app
        .post(
            "/api/v1/auth/register/resend",
            json!({ "phone": phone, "channel": "sms" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let fresh = app.last_code(phone);
    app.clock.advance(chrono::Duration::minutes(5));
    let r = app
        .post(
            "/api/v1/auth/register/confirm",
            json!({ "phone": phone, "code": fresh }),
        )
        .await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "code-expired");
}

#[tokio::test]
async fn the_code_goes_by_email_through_a_real_smtp_server() {
    let (smtp_port, inbox) = crate::helpers::smtp::start();
    let app =
        TestApp::spawn_with(|c| c.smtp_url = Some(format!("smtp://127.0.0.1:{smtp_port}"))).await;
    let phone = "+79123456789";
    app.register(phone, "ivan@mail.ru").await;
    app.clock.advance(chrono::Duration::seconds(61));
    let r = app
        .post(
            "/api/v1/auth/register/resend",
            json!({ "phone": phone, "channel": "email" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let received = inbox.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "one message reached the SMTP server");
    let (to, data) = &received[0];
    assert_eq!(to, "ivan@mail.ru");
    assert!(data.contains("Subject:"), "{data}");
    let code = app.sms().len();
    assert_eq!(code, 1, "the email replaced a second SMS");
}

#[tokio::test]
async fn xml_in_and_out() {
    let app = TestApp::spawn().await;
    let r = app
        .http
        .post(app.url("/api/v1/auth/register"))
        .header("content-type", "application/xml")
        .header("accept", "application/xml")
        .body("<register><phone>+79123456789</phone><email>ivan@mail.ru</email><password>Vesna-Tuman-42</password></register>")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let text = r.text().await.unwrap();
    assert!(text.contains("<phone>+79123456789</phone>"), "{text}");

    let r = app
        .http
        .post(app.url("/api/v1/auth/register"))
        .header("content-type", "application/xml")
        .header("accept", "application/xml")
        .body("<register><phone>1</phone>")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("<code>body-malformed</code>")
    );
}
