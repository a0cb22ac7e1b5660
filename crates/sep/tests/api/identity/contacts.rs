use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn phone_change_needs_the_password_and_a_code_from_the_new_phone() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    app.citizen("+79223334455", "petr@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let other_session = app.login(&phone, &phone, PASSWORD).await;

    let r = app
        .post_auth(
            "/api/v1/profile/phone",
            &token,
            json!({ "phone": "12345", "password": "" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let b = json_of(r).await;
    let fields: Vec<_> = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(fields, vec![json!("phone"), json!("password")]);

    let r = app
        .post_auth(
            "/api/v1/profile/phone",
            &token,
            json!({ "phone": "+7 916 000-11-22", "password": "Wrong-Password-1" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(r).await["errors"][0]["code"], "password-wrong");

    let r = app
        .post_auth(
            "/api/v1/profile/phone",
            &token,
            json!({ "phone": "8 922 333-44-55", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "another account's phone");
    let r = app
        .post_auth(
            "/api/v1/profile/phone",
            &token,
            json!({ "phone": "8 912 345-67-89", "password": PASSWORD }),
        )
        .await;
    assert_eq!(json_of(r).await["errors"][0]["code"], "contact-same");

    let r = app
        .post_auth(
            "/api/v1/profile/phone",
            &token,
            json!({ "phone": "8 (916) 000-11-22", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let started = json_of(r).await;
    assert_eq!(started["code_sent_to"], "+7 916 ***-**-22");
    let code = app.last_code("+79160001122");

    let r = app
        .post_auth(
            "/api/v1/profile/contacts/confirm",
            &token,
            json!({ "change_id": started["change_id"], "code": "000000" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(r).await["errors"][0]["attempts_left"], 4);
    let me = json_of(app.get_auth("/api/v1/profile", &token).await).await;
    assert_eq!(me["phone"], phone, "nothing changed yet");

    let r = app
        .post_auth(
            "/api/v1/profile/contacts/confirm",
            &token,
            json!({ "change_id": started["change_id"], "code": code }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(json_of(r).await["phone"], "+79160001122");

    let told = app.sms().iter().any(|m| {
        m["to"] == phone.as_str()
            && m["text"]
                .as_str()
                .unwrap()
                .contains("изменён на +7 916 ***-**-22")
    });
    assert!(told, "the old phone is told");
    let r = app.get_auth("/api/v1/profile", &other_session).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "other sessions end");
    let r = app.get_auth("/api/v1/profile", &token).await;
    assert_eq!(r.status(), StatusCode::OK, "the changing session stays");

    let r = app.login_attempt(&phone, PASSWORD).await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "the old phone is no login"
    );
    app.login("+79160001122", "+79160001122", PASSWORD).await;

    let r = app
        .post_auth(
            "/api/v1/profile/contacts/confirm",
            &token,
            json!({ "change_id": started["change_id"], "code": code }),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );

    let trail = json_of(app.get_auth("/api/v1/audit/mine", &token).await).await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"identity.contact.confirm"), "{actions:?}");
}

#[tokio::test]
async fn email_change_is_confirmed_by_a_code_in_the_new_mailbox() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let r = app
        .post_auth(
            "/api/v1/profile/email",
            &token,
            json!({ "email": "Ivan.New@Yandex.RU", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let started = json_of(r).await;
    let r = app
        .post_auth(
            "/api/v1/profile/email",
            &token,
            json!({ "email": "ivan.new@yandex.ru", "password": PASSWORD }),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "one code a minute"
    );

    let code = app.last_mail_code("ivan.new@yandex.ru");
    // A code sent for one account cannot be used from another.
    app.citizen("+79223334455", "petr@mail.ru").await;
    let stranger = app.login("+79223334455", "+79223334455", PASSWORD).await;
    let r = app
        .post_auth(
            "/api/v1/profile/contacts/confirm",
            &stranger,
            json!({ "change_id": started["change_id"], "code": code }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let r = app
        .post_auth(
            "/api/v1/profile/contacts/confirm",
            &token,
            json!({ "change_id": started["change_id"], "code": code }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(json_of(r).await["email"], "ivan.new@yandex.ru");
    let old_told = app
        .mails()
        .iter()
        .any(|(to, _, text)| to == "ivan@mail.ru" && text.contains("изменён на"));
    assert!(old_told, "the old address is told");
    app.login("ivan.new@yandex.ru", &phone, PASSWORD).await;
}

#[tokio::test]
async fn three_wrong_passwords_while_changing_lock_the_account_and_end_sessions() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    for _ in 0..3 {
        let r = app
            .post_auth(
                "/api/v1/profile/phone",
                &token,
                json!({ "phone": "+79160001122", "password": "Guess-Guess-1" }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = app.get_auth("/api/v1/profile", &token).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app.login_attempt(&phone, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::LOCKED);
    assert!(
        app.sms().iter().all(|m| m["to"] != "+79160001122"),
        "no code was sent"
    );
}

#[tokio::test]
async fn a_refused_change_answers_in_xml_and_english_when_asked() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let r = app
        .http
        .post(app.url("/api/v1/profile/phone"))
        .bearer_auth(&token)
        .header("content-type", "application/xml")
        .header("accept", "application/xml")
        .header("accept-language", "en")
        .body("<change><phone>+7 495 123-45-67</phone><password>x</password></change>")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(text.contains("<field>phone</field>"), "{text}");
    assert!(text.contains("<code>phone-not-mobile</code>"), "{text}");
    assert!(text.contains("mobile"), "English message: {text}");
    let me = json_of(app.get_auth("/api/v1/profile", &token).await).await;
    assert_eq!(me["phone"], phone, "nothing changed");
    assert!(app.sms().iter().all(|m| m["to"] != "+74951234567"));
}
