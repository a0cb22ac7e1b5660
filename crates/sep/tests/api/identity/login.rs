use crate::helpers::*;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn login_by_phone_email_or_snils_with_sms_code() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let token = app.login("8 912 345 67 89", &phone, PASSWORD).await;
    let r = app
        .put_auth(
            "/api/v1/profile",
            &token,
            json!({ "last_name": "Иванов", "first_name": "Иван", "snils": "11223344595" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    app.login("ivan@mail.ru", &phone, PASSWORD).await;
    let t = app.login("112-233-445 95", &phone, PASSWORD).await;
    let r = app.get_auth("/api/v1/profile", &t).await;
    assert_eq!(r.status(), StatusCode::OK);
    let sessions: Value = app
        .get_auth("/api/v1/sessions", &t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn three_wrong_passwords_lock_for_fifteen_minutes_even_with_the_right_one() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    // A login attempt in progress, cut off by the lock below.
    let r = app.login_attempt(&phone, PASSWORD).await;
    let pending: Value = r.json().await.unwrap();
    let pending_code = app.last_code(&phone);

    for _ in 0..3 {
        let r = app.login_attempt(&phone, "Wrong-Password-1").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "login-failed");
    }
    let r = app.login_attempt(&phone, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::LOCKED);
    let retry: i64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((890..=900).contains(&retry), "{retry}");

    let told = app.sms().iter().any(|m| {
        m["to"] == phone.as_str() && m["text"].as_str().unwrap().contains("заблокирована до")
    });
    assert!(told, "the owner is told by SMS");
    let mails = std::fs::read_dir(app.data_dir.join("outbox/mail"))
        .unwrap()
        .count();
    assert_eq!(mails, 1, "and by email");

    let r = app
        .confirm_login_code(&pending["challenge_id"], &pending_code)
        .await;
    assert_ne!(
        r.status(),
        StatusCode::OK,
        "the lock ended the attempt in progress"
    );

    app.clock.advance(Duration::minutes(15));
    app.login(&phone, &phone, PASSWORD).await;
}

#[tokio::test]
async fn code_failures_are_counted_apart_and_each_challenge_allows_five() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let r = app.login_attempt(&phone, PASSWORD).await;
    let ch: Value = r.json().await.unwrap();
    let good = app.last_code(&phone);
    for left in (0..5).rev() {
        let r = app.confirm_login_code(&ch["challenge_id"], "999999").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "code-wrong");
        assert_eq!(body["errors"][0]["field"], "code");
        assert_eq!(body["errors"][0]["attempts_left"], left);
        if left == 2 {
            assert_eq!(
                body["errors"][0]["message"],
                "Код: неверный код, осталось 2 попытки"
            );
        }
    }
    let r = app.confirm_login_code(&ch["challenge_id"], &good).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "code-attempts");

    // Five more wrong codes on a new challenge reach the account's limit of ten.
    let r = app.login_attempt(&phone, PASSWORD).await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "code failures do not count as password failures"
    );
    let ch: Value = r.json().await.unwrap();
    for _ in 0..5 {
        app.confirm_login_code(&ch["challenge_id"], "999999").await;
    }
    let r = app.login_attempt(&phone, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::LOCKED);
}

#[tokio::test]
async fn login_codes_expire_after_five_minutes() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let ch: Value = app
        .login_attempt(&phone, PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    app.clock.advance(Duration::minutes(5));
    let r = app
        .confirm_login_code(&ch["challenge_id"], app.last_code(&phone))
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "challenge-expired");
}

#[tokio::test]
async fn unknown_login_is_indistinguishable_from_a_wrong_password() {
    let app = TestApp::spawn().await;
    let r = app.login_attempt("nobody@mail.ru", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "login-failed");
    let r = app.login_attempt("", "").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn totp_enrolment_then_login_with_the_app_and_no_code_reuse() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let enrol: Value = app
        .post_auth(
            "/api/v1/profile/totp",
            &token,
            json!({ "password": PASSWORD }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        enrol["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    assert!(!enrol["qr_png_base64"].as_str().unwrap().is_empty());
    let secret = enrol["secret"].as_str().unwrap();
    let stored = app.raw_text("SELECT totp_secret FROM users").await;
    let stored = stored[0].as_deref().expect("a secret is kept");
    assert!(
        !stored.contains(secret),
        "the TOTP secret is sealed at rest"
    );
    let totp = totp_rs::Totp::from_url(enrol["otpauth_uri"].as_str().unwrap()).unwrap();
    let now = || app.clock_unix();
    let r = app
        .post_auth(
            "/api/v1/profile/totp/confirm",
            &token,
            json!({ "code": "000000" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_auth(
            "/api/v1/profile/totp/confirm",
            &token,
            json!({ "code": totp.generate(now()).to_string() }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);

    app.clock.advance(Duration::seconds(30));
    let sms_before = app.sms().len();
    let ch: Value = app
        .login_attempt(&phone, PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ch["method"], "totp");
    assert_eq!(app.sms().len(), sms_before, "no SMS for an app login");
    let code = totp.generate(now()).to_string();
    let r = app.confirm_login_code(&ch["challenge_id"], &code).await;
    assert_eq!(r.status(), StatusCode::OK);
    let ch: Value = app
        .login_attempt(&phone, PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let r = app.confirm_login_code(&ch["challenge_id"], &code).await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "a code is accepted once"
    );
}

#[tokio::test]
async fn password_reset_by_code_ends_sessions_and_lifts_the_lock() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let old = app.login(&phone, &phone, PASSWORD).await;
    for _ in 0..3 {
        app.login_attempt(&phone, "Wrong-Password-1").await;
    }
    let r = app
        .post(
            "/api/v1/auth/password/forgot",
            json!({ "login": "nobody@mail.ru" }),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::ACCEPTED,
        "unknown logins get the same answer"
    );
    let r = app
        .post("/api/v1/auth/password/forgot", json!({ "login": phone }))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let started: Value = r.json().await.unwrap();
    let code = app.last_code(&phone);
    let r = app
        .post(
            "/api/v1/auth/password/reset",
            json!({ "reset_id": started["reset_id"], "code": code, "password": "qwerty" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.post("/api/v1/auth/password/reset", json!({ "reset_id": started["reset_id"], "code": code, "password": "Novyi-Parol-2027" })).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_auth("/api/v1/profile", &old).await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.login(&phone, &phone, "Novyi-Parol-2027").await;
}

#[tokio::test]
async fn auth_endpoints_are_rate_limited_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_burst = 3;
        c.auth_rate_refill_secs = 60;
    })
    .await;
    let mut codes = Vec::new();
    for _ in 0..4 {
        codes.push(app.login_attempt("x@mail.ru", "y").await.status());
    }
    assert_eq!(&codes[..3], &[StatusCode::UNAUTHORIZED; 3]);
    assert_eq!(codes[3], StatusCode::TOO_MANY_REQUESTS);
}
