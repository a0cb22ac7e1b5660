//! What an attacker tries first: bodies that attack the parsers, codes
//! guessed in parallel, secrets read from a copy of the database, redirects
//! to another host, streams that outlive their session, and a verified
//! identity rewritten after the fact.

use crate::helpers::*;
use futures::future::join_all;
use reqwest::StatusCode;
use sep_identity::model::AssuranceLevel;
use serde_json::{Value, json};

/// Allows the bursts these tests fire from one address.
async fn unthrottled() -> TestApp {
    TestApp::spawn_with(|c| {
        c.auth_rate_burst = 10_000;
        c.auth_rate_refill_secs = 1;
    })
    .await
}

/// One column of the account with this phone, as text.
async fn account_column(app: &TestApp, phone: &str, column: &str) -> Option<String> {
    let rows = app
        .raw_text(&format!(
            "SELECT CAST({column} AS TEXT) FROM users WHERE phone = '{phone}'"
        ))
        .await;
    rows.into_iter().next().flatten()
}

async fn still_answers(app: &TestApp) {
    let r = app.get("/api/v1/openapi.json").await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the server answers the next request"
    );
}

#[tokio::test]
async fn bodies_that_attack_the_parsers_are_refused_and_the_server_stays_up() {
    let app = unthrottled().await;
    // 100,000 levels of nested XML (~700 KB): the parser stops at its depth.
    let nested = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    for path in ["/api/v1/auth/login", "/api/v1/verify"] {
        let r = app
            .http
            .post(app.url(path))
            .header("content-type", "application/xml")
            .body(nested.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "body-too-complex", "{path}");
        assert!(body["detail"].as_str().unwrap().contains("32"), "{body}");
        still_answers(&app).await;
    }
    // The same in JSON, and a flat array of 30,000 values.
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let wide = format!("[{}]", vec!["{}"; 30_000].join(","));
    for body in [deep, wide] {
        let r = app
            .http
            .post(app.url("/api/v1/auth/login"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        still_answers(&app).await;
    }
    // 100 MB: refused by its size, in Russian by default.
    let r = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(vec![b' '; 100 * 1024 * 1024])
        .send()
        .await;
    if let Ok(r) = r {
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "body-too-large");
        assert!(body["detail"].as_str().unwrap().contains("1 МБ"), "{body}");
    } // else the server closed the connection before the client finished sending: also a refusal
    still_answers(&app).await;
    // A NUL fits no text column (PostgreSQL refuses it): a malformed body, not a 500.
    let r = app
        .post(
            "/api/v1/auth/register",
            json!({ "phone": "+79161290099", "email": "nul\u{0}@mail.ru", "password": "x" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // A well-formed XML body still works, as before.
    let r = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/xml")
        .body("<login><login>nobody@mail.ru</login><password>x</password></login>")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn extractor_refusals_are_the_products_own_problem_documents() {
    let app = unthrottled().await;
    let phone = app.citizen("+79161300001", "malformed@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let r = app
        .get_auth("/api/v1/applications/not-a-uuid", &token)
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "request-malformed");
    assert_eq!(body["title"], "Запрос не разобран");
    assert!(body["request_id"].is_string(), "{body}");
    // A JSON body that is not JSON at all, in English when asked.
    let r = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .header("accept-language", "en")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "body-malformed");
    // A page with a malformed id is the product's page with its chrome.
    let r = app
        .http
        .get(app.url("/applications/not-a-uuid"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(html.contains("Запрос не разобран"), "{html}");
    assert!(!html.contains("UUID parsing failed"), "{html}");
}

#[tokio::test]
async fn fifty_wrong_reset_codes_at_once_count_exactly_five_tries() {
    let app = unthrottled().await;
    let phone = app.citizen("+79161300002", "reset-race@mail.ru").await;
    let r = app
        .post("/api/v1/auth/password/forgot", json!({ "login": phone }))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let started: Value = r.json().await.unwrap();
    let good = app.last_code(&phone);
    let wrong = if good == "000000" { "111111" } else { "000000" };
    let answers = join_all((0..50).map(|_| {
        app.post(
            "/api/v1/auth/password/reset",
            json!({ "reset_id": started["reset_id"], "code": wrong, "password": "Novyi-Parol-2027" }),
        )
    }))
    .await;
    let mut rules = Vec::new();
    for r in answers {
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = r.json().await.unwrap();
        rules.push(body["errors"][0]["code"].as_str().unwrap().to_string());
    }
    let counted = rules.iter().filter(|r| *r == "code-wrong").count();
    assert_eq!(counted, 5, "{rules:?}");
    assert!(
        rules
            .iter()
            .all(|r| r == "code-wrong" || r == "code-attempts")
    );
    let attempts = app
        .raw_text("SELECT CAST(attempts AS TEXT) FROM one_time_codes WHERE purpose = 'reset'")
        .await;
    assert_eq!(attempts, vec![Some("5".to_string())]);
    // The code is spent: even the right one no longer works.
    let r = app
        .post(
            "/api/v1/auth/password/reset",
            json!({ "reset_id": started["reset_id"], "code": good, "password": "Novyi-Parol-2027" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Each wrong try counted toward the account's code lock too.
    let failures = account_column(&app, &phone, "code_failures").await;
    assert_eq!(failures.as_deref(), Some("5"));
}

#[tokio::test]
async fn twelve_wrong_login_codes_at_once_count_five_and_every_failure_counts_once() {
    let app = unthrottled().await;
    let phone = app.citizen("+79161300003", "login-race@mail.ru").await;
    let r = app.login_attempt(&phone, PASSWORD).await;
    let challenge: Value = r.json().await.unwrap();
    let good = app.last_code(&phone);
    let wrong = if good == "000000" { "111111" } else { "000000" };
    let answers =
        join_all((0..12).map(|_| app.confirm_login_code(&challenge["challenge_id"], wrong))).await;
    let mut counted = 0;
    for r in answers {
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let body: Value = r.json().await.unwrap();
        if body["errors"][0]["code"] == "code-wrong" {
            counted += 1;
        }
    }
    assert_eq!(counted, 5);
    let failures = account_column(&app, &phone, "code_failures").await;
    assert_eq!(failures.as_deref(), Some("5"), "none lost, none extra");
    // Wrong passwords at once: each is counted, and the third locks.
    let answers = join_all((0..6).map(|_| app.login_attempt(&phone, "Wrong-Password-1"))).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::LOCKED)
    );
    let locked = account_column(&app, &phone, "locked_until").await;
    assert!(locked.is_some(), "locked");
    assert_eq!(
        app.login_attempt(&phone, PASSWORD).await.status(),
        StatusCode::LOCKED
    );
}

#[tokio::test]
async fn a_copy_of_the_database_holds_no_code_once_it_is_sent() {
    let app = unthrottled().await;
    let phone = app.citizen("+79161300004", "no-codes@mail.ru").await;
    app.login_attempt(&phone, PASSWORD).await;
    let code = app.last_code(&phone);
    let bodies = app.raw_text("SELECT body FROM outbound_messages").await;
    assert!(bodies.len() >= 2, "registration and login codes were sent");
    let six = regex_like_six_digits();
    for body in bodies.iter().flatten() {
        assert!(!six(body), "a code at rest: {body}");
    }
    assert!(
        bodies.iter().flatten().any(|b| b.contains("••••••")),
        "{bodies:?}"
    );
    assert!(!bodies.iter().flatten().any(|b| b.contains(&code)));
}

fn regex_like_six_digits() -> impl Fn(&str) -> bool {
    |s: &str| {
        let digits: Vec<bool> = s.chars().map(|c| c.is_ascii_digit()).collect();
        digits.windows(6).any(|w| w.iter().all(|d| *d))
    }
}

#[tokio::test]
async fn redirects_go_only_to_this_sites_paths() {
    let app = unthrottled().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for back in [
        "/%5Cevil.example/",
        "/%09/evil.example/",
        "//evil.example/",
        "https://evil.example/",
    ] {
        let r = http
            .get(app.url(&format!("/lang/ru?back={back}")))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_redirection(), "{back}");
        assert_eq!(r.headers()["location"], "/", "{back}");
    }
    let r = http
        .get(app.url("/lang/en?back=/services"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/services");
}

#[tokio::test]
async fn a_live_stream_ends_with_its_session_and_one_session_keeps_few() {
    let app = unthrottled().await;
    let phone = app.citizen("+79161300005", "stream@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let open = || {
        app.http
            .get(app.url("/api/v1/events"))
            .bearer_auth(&token)
            .send()
    };
    let mut streams = Vec::new();
    for _ in 0..4 {
        let r = open().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        streams.push(r);
    }
    let r = open().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "a fifth stream");
    assert!(r.headers().contains_key("retry-after"));
    let r = app
        .post_auth("/api/v1/auth/logout", &token, json!({}))
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    for mut s in streams {
        let ended = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            loop {
                match s.chunk().await {
                    Ok(Some(_)) => continue,
                    _ => return,
                }
            }
        })
        .await;
        assert!(ended.is_ok(), "the stream closed at logout");
    }
}

#[tokio::test]
async fn changing_a_verified_identity_lowers_the_level_and_documents_follow() {
    let app = TestApp::with_catalog().await;
    sep::demo::ensure_pki(&app.platform).await.unwrap();
    let person = app
        .applicant("+79161300006", AssuranceLevel::Confirmed, "112-233-445 95")
        .await;
    let profile = app.get_auth_json("/api/v1/profile", &person.token).await;
    assert_eq!(profile["level"], "confirmed");
    // The address is not what a level rests on: nothing changes.
    let mut fields = profile.clone();
    fields["address"] = "г. Москва, ул. Арбат, д. 2".into();
    let r = app
        .put_auth("/api/v1/profile", &person.token, fields.clone())
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let after: Value = r.json().await.unwrap();
    assert_eq!(after["level"], "confirmed");
    let sent = app.sms_to(&person.phone).len();
    // The name and birth date are: the level drops and the owner is told
    // why (the passport, never given before, only completes the identity).
    fields["last_name"] = "Подменов".into();
    fields["birth_date"] = "06.04.1986".into();
    fields["passport_series"] = "45 08".into();
    fields["passport_number"] = "654321".into();
    let r = app.put_auth("/api/v1/profile", &person.token, fields).await;
    assert_eq!(r.status(), StatusCode::OK);
    let after: Value = r.json().await.unwrap();
    assert_eq!(after["level"], "simplified");
    let texts = app.sms_to(&person.phone);
    assert_eq!(texts.len(), sent + 1);
    let notice = texts.last().unwrap();
    assert!(notice.contains("(ФИО, дата рождения)"), "{notice}");
    assert!(notice.contains("Упрощённая"), "{notice}");
    // No certificate in the new name: the level it needs is gone.
    let r = app
        .post_auth(
            "/api/v1/documents/orders",
            &person.token,
            json!({ "kinds": ["no-criminal-record"] }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "{:?}", r.text().await);
    let lowered = app
        .raw_text("SELECT action FROM audit_events WHERE action = 'identity.level.lowered'")
        .await;
    assert_eq!(lowered.len(), 1);
}

#[tokio::test]
async fn personal_answers_are_not_cached_and_tls_deployments_say_so() {
    let app = TestApp::spawn_with(|c| c.secure_cookies = true).await;
    let r = app.get("/").await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    let csrf = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("sep_csrf="))
        .expect("a CSRF cookie");
    assert!(csrf.contains("; Secure"), "{csrf}");
    let r = app.get("/static/sep.css").await;
    assert_ne!(r.headers()["cache-control"], "no-store");
    // Without TLS nothing claims it.
    let plain = TestApp::spawn().await;
    let r = plain.get("/").await;
    assert!(!r.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn a_taken_port_is_named_with_its_setting() {
    let app = TestApp::spawn().await;
    let taken = app.platform.config.addr.to_string();
    let out = app
        .cli_with(
            &["serve"],
            &[
                ("SEP_ADDR", &taken),
                ("SEP_ACQUIRER_URL", "http://127.0.0.1:9"),
                // The demo's outboxes, so that the port is what stops it.
                ("SEP_DEMO", "true"),
            ],
        )
        .await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&taken) && err.contains("SEP_ADDR"), "{err}");
}

#[tokio::test]
async fn the_second_factor_changes_only_with_the_password_and_a_reset_clears_it() {
    let app = unthrottled().await;
    let phone = app.citizen("+79161300007", "step-up@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    // A session alone cannot enrol an authenticator.
    for (body, rule) in [
        (json!({}), "required"),
        (json!({ "password": "Wrong-Password-1" }), "password-wrong"),
    ] {
        let r = app.post_auth("/api/v1/profile/totp", &token, body).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], "password");
        assert_eq!(problem["errors"][0]["code"], rule);
    }
    let failures = account_column(&app, &phone, "password_failures").await;
    assert_eq!(failures.as_deref(), Some("1"), "counted like a login");
    let r = app
        .post_auth(
            "/api/v1/profile/totp",
            &token,
            json!({ "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let enrol: Value = r.json().await.unwrap();
    let totp = totp_rs::Totp::from_url(enrol["otpauth_uri"].as_str().unwrap()).unwrap();
    let r = app
        .post_auth(
            "/api/v1/profile/totp/confirm",
            &token,
            json!({ "code": totp.generate(app.clock_unix()).to_string() }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let told = app.sms_to(&phone);
    assert!(
        told.last().unwrap().contains("приложение-аутентификатор"),
        "{told:?}"
    );
    // Removing it needs the password too.
    let r = app
        .http
        .delete(app.url("/api/v1/profile/totp"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The owner who proves the phone gets SMS codes back, and is told.
    let r = app
        .post("/api/v1/auth/password/forgot", json!({ "login": phone }))
        .await;
    let started: Value = r.json().await.unwrap();
    let r = app
        .post(
            "/api/v1/auth/password/reset",
            json!({ "reset_id": started["reset_id"], "code": app.last_code(&phone), "password": "Novyi-Parol-2027" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let told = app.sms_to(&phone);
    assert!(told.last().unwrap().contains("отключено"), "{told:?}");
    let ch: Value = app
        .login_attempt(&phone, "Novyi-Parol-2027")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ch["method"], "sms");
}

async fn multipart_post(
    app: &TestApp,
    path: &str,
    token: &str,
    form: reqwest::multipart::Form,
) -> reqwest::Response {
    app.http
        .post(app.url(path))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn files_that_attack_their_readers_are_refused_and_the_server_stays_up() {
    use reqwest::multipart::{Form, Part};
    let app = unthrottled().await;
    let anna = app
        .applicant("+79161290001", AssuranceLevel::Standard, "112-233-445 95")
        .await;

    // A 100 KB PDF that inflates to 80 MB: refused, nothing stored.
    let bomb = sep_applications::model::upload_check::samples::pdf_with_stream(80 * 1024 * 1024);
    assert!(bomb.len() < 200 * 1024, "{}", bomb.len());
    let form = Form::new().part("file", Part::bytes(bomb).file_name("scan.pdf"));
    let r = multipart_post(&app, "/api/v1/attachments", &anna.token, form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "file-pdf-bomb", "{problem}");
    assert!(
        app.raw_text("SELECT CAST(id AS TEXT) FROM attachments")
            .await
            .is_empty()
    );
    still_answers(&app).await;

    // A .p12 of 200 encrypted safes at a million iterations each: refused unopened.
    let p12 = sep_pki::p12_bounds::samples::sample_pfx(200, 1_000_000, 2048);
    let form = Form::new()
        .part("file", Part::bytes(p12).file_name("key.p12"))
        .text("password", "whatever");
    let r = multipart_post(&app, "/api/v1/signatures/certificates", &anna.token, form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "p12-too-complex", "{problem}");
    still_answers(&app).await;

    // A multipart body that does not match its boundary is malformed, not "too large".
    let r = app
        .http
        .post(app.url("/api/v1/attachments"))
        .bearer_auth(&anna.token)
        .header("content-type", "multipart/form-data; boundary=expected")
        .body("--other\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--other--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["code"], "multipart-malformed", "{problem}");

    // More parts than any form has: refused before they are read.
    let mut form = Form::new();
    for i in 0..300 {
        form = form.text(format!("f{i}"), "x");
    }
    let r = multipart_post(&app, "/api/v1/attachments", &anna.token, form).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // 10,000 forms in one JSON array: refused as too complex.
    let forms = format!(
        "[{}]",
        vec![r#"{"full_name":"А","phone":"+79161290001"}"#; 10_000].join(",")
    );
    let r = app
        .http
        .post(app.url("/api/v1/services/egrn-extract/form/check"))
        .header("content-type", "application/json")
        .body(forms)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    still_answers(&app).await;
}

/// Every route of the API with a malformed id in each path parameter and a
/// malformed query: a 4xx problem document in the request's language, never
/// a 5xx or the framework's plain text.
#[tokio::test]
async fn every_route_refuses_a_malformed_id_and_query_with_a_problem_document() {
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_burst = 10_000;
        c.public_rate_burst = 10_000;
        c.heavy_rate_burst = 10_000;
    })
    .await;
    let (_, admin) = app
        .user_with_role(sep_identity::model::Role::Admin, "+79161290011")
        .await;
    let doc = app.get_json("/api/v1/openapi.json").await;
    let query = "?from=zz&to=31.02.2026&before=-1&limit=abc&state=%FF&q=%00&page=x";
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if path.ends_with("/events") {
                continue; // a stream: it would not end
            }
            let concrete = path
                .split('/')
                .map(|seg| {
                    if seg.starts_with('{') {
                        "not-an-id%20%FF"
                    } else {
                        seg
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let url = app.url(&format!("{concrete}{query}"));
            for lang in ["ru", "en"] {
                let r = app
                    .http
                    .request(method.to_uppercase().parse().unwrap(), &url)
                    .bearer_auth(&admin)
                    .header("accept-language", lang)
                    .header("content-type", "application/json")
                    .body("{\"broken\": ")
                    .send()
                    .await
                    .unwrap();
                let status = r.status();
                let kind = r
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default();
                let body = r.text().await.unwrap();
                assert!(
                    !status.is_server_error(),
                    "{method} {path}: {status} {body}"
                );
                if status.is_success() && !path.contains('{') {
                    // Nothing in the path to be malformed, and a query it does not read.
                    continue;
                }
                assert!(status.is_client_error(), "{method} {path}: {status} {body}");
                assert!(
                    kind.starts_with("application/problem+json"),
                    "{method} {path}: {kind} {body}"
                );
                let problem: Value = serde_json::from_str(&body).unwrap();
                assert!(problem["code"].is_string(), "{method} {path}: {body}");
                let title = problem["title"].as_str().unwrap_or_default();
                let cyrillic = title.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я'));
                assert_eq!(cyrillic, lang == "ru", "{method} {path} in {lang}: {title}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "the whole table was walked: {checked}");
}

/// The same for the pages: a malformed id or query is the product's own
/// error page, with its header, in Russian by default.
#[tokio::test]
async fn pages_refuse_a_malformed_id_and_query_with_the_sites_error_page() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79161290021", "pages-walk@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    for path in [
        "/applications/not-an-id",
        "/documents/not-an-id",
        "/payments/not-an-id",
        "/receipts/not-an-id/zz",
        "/services/%FF%FE",
        "/verify/%00",
        "/account?from=zz&to=31.02.2026",
        "/applications?page=x&state=%FF",
        "/notifications?before=zz",
    ] {
        let r = app
            .http
            .get(app.url(path))
            .header("cookie", format!("sep_session={token}"))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let html = r.text().await.unwrap();
        assert!(!status.is_server_error(), "{path}: {status}");
        if status.is_success() {
            // A filter it could not read is shown as such, never a crash.
            continue;
        }
        assert!(status.is_client_error(), "{path}: {status}");
        assert!(html.contains("<header class=\"top\""), "{path}: {html}");
        assert!(html.contains("lang=\"ru\""), "{path}");
        assert!(!html.contains("Failed to deserialize"), "{path}: {html}");
        assert!(!html.contains("Invalid URL"), "{path}: {html}");
    }
    // A NUL in a posted form fits no text column: the error page, not a 500.
    let r = app
        .http
        .post(app.url("/profile"))
        .header("cookie", format!("sep_session={token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("csrf=x&last_name=%D0%98%00")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("<header class=\"top\""));
}

#[tokio::test]
async fn staff_reads_of_personal_data_are_journalled_before_they_are_shown() {
    let app = TestApp::spawn().await;
    let anna = app
        .applicant("+79161290031", AssuranceLevel::Standard, "112-233-445 95")
        .await;
    let (_, support) = app
        .user_with_role(sep_identity::model::Role::Support, "+79161290032")
        .await;
    let (_, stranger) = app
        .user_with_role(sep_identity::model::Role::Citizen, "+79161290033")
        .await;
    let reads = |action: &'static str| {
        let app = &app;
        let anna = anna.id;
        async move {
            app.raw_text(&format!(
                "SELECT result FROM audit_events \
                 WHERE action = '{action}' AND object_id = '{anna}'"
            ))
            .await
        }
    };
    let profile = format!("/api/v1/users/{}/profile", anna.id);
    let logins = format!("/api/v1/users/{}/logins", anna.id);
    for path in [&profile, &logins] {
        let r = app.get_auth(path, &stranger).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert!(reads("identity.profile.read").await.is_empty());
    let r = app.get_auth(&profile, &support).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.get_auth(&logins, &support).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(reads("identity.profile.read").await.len(), 1);
    assert_eq!(reads("identity.logins.read").await.len(), 1);
    // In the reader's own trail, as theirs.
    let trail = app
        .get_auth_json("/api/v1/audit/mine", &support)
        .await
        .to_string();
    assert!(trail.contains("identity.profile.read"), "{trail}");
    assert!(trail.contains(&anna.id.to_string()), "{trail}");
    // The owner's own reads are not staff reads.
    let r = app.get_auth("/api/v1/profile", &anna.token).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(reads("identity.profile.read").await.len(), 1);
}
