use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn full_profile() -> Value {
    json!({
        "last_name": "  иванов ", "first_name": "иван", "patronymic": "иванович",
        "birth_date": "05.03.1985", "inn": "500100732259", "snils": "112-233-445 95",
        "passport_series": "45 08", "passport_number": "123456",
        "postcode": "101000", "region_code": "77", "address": "г. Москва, ул. Тверская, д. 1"
    })
}

#[tokio::test]
async fn a_valid_profile_is_normalised_and_saved() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let r = app
        .put_auth("/api/v1/profile", &token, full_profile())
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let me: Value = app
        .get_auth("/api/v1/profile", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["full_name"], "Иванов Иван Иванович");
    assert_eq!(me["snils"], "112-233-445 95");
    assert_eq!(me["birth_date"], "05.03.1985");
    assert_eq!(me["passport_series"], "45 08");
    assert_eq!(me["consent_version"], "pd-consent-2026-01");
}

#[tokio::test]
async fn personal_data_is_sealed_at_rest_and_snils_still_logs_in() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let r = app
        .put_auth("/api/v1/profile", &token, full_profile())
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let stored = app
        .raw_text(
            "SELECT birth_date, inn, snils, snils_lookup, passport, postcode, address \
             FROM profiles",
        )
        .await;
    assert_eq!(stored.len(), 7);
    for value in &stored {
        let value = value.as_deref().expect("every column was filled");
        for secret in [
            "1985",
            "500100732259",
            "11223344595",
            "4508",
            "123456",
            "101000",
            "Тверская",
        ] {
            assert!(!value.contains(secret), "{secret} readable in {value}");
        }
    }
    assert!(stored[0].as_deref().unwrap().starts_with("v1."));

    let by_snils = app.login("112-233-445 95", &phone, PASSWORD).await;
    assert_eq!(app.user_id(&by_snils).await, app.user_id(&token).await);
}

#[tokio::test]
async fn wrong_fields_are_named_in_russian_and_english_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    app.put_auth("/api/v1/profile", &token, full_profile())
        .await;
    let mut bad = full_profile();
    bad["snils"] = json!("112-233-445 98");
    bad["inn"] = json!("7707083894");
    bad["birth_date"] = json!("01.01.2030");
    bad["first_name"] = json!("Ivan");
    bad["postcode"] = json!("12345");
    let r = app.put_auth("/api/v1/profile", &token, bad.clone()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    let fields = error_fields(&body);
    assert_eq!(
        fields,
        vec!["first_name", "birth_date", "inn", "snils", "postcode"]
    );
    let snils = error_for(&body, "snils");
    assert_eq!(snils["message"], "СНИЛС: контрольное число не сходится");

    let r = app
        .http
        .put(app.url("/api/v1/profile"))
        .bearer_auth(&token)
        .header("accept-language", "en-GB,en;q=0.9")
        .json(&bad)
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    let inn = error_for(&body, "inn");
    assert_eq!(inn["message"], "INN: the check digits do not match");

    let me: Value = app
        .get_auth("/api/v1/profile", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["snils"], "112-233-445 95", "nothing was saved");
    assert_eq!(me["inn"], "500100732259");
}

#[tokio::test]
async fn one_snils_belongs_to_one_account() {
    let app = TestApp::spawn().await;
    let a = app.citizen("+79123456789", "a@mail.ru").await;
    let b = app.citizen("+79123456788", "b@mail.ru").await;
    let ta = app.login(&a, &a, PASSWORD).await;
    let tb = app.login(&b, &b, PASSWORD).await;
    assert_eq!(
        app.put_auth("/api/v1/profile", &ta, full_profile())
            .await
            .status(),
        StatusCode::OK
    );
    let r = app.put_auth("/api/v1/profile", &tb, full_profile()).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "snils");
    assert_eq!(body["errors"][0]["code"], "snils-taken");
}
