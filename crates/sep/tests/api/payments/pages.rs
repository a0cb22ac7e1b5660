//! The payment pages over plain HTTP (no script): linking a card, the
//! personal account with its filters and refund form, a charge found by
//! УИН without logging in, and the public check of a receipt.

use crate::helpers::pages::{CSRF, cookies, no_redirects};
use crate::payments::api::{GOOD_CARD, scene, uin};
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};

async fn page(s: &crate::payments::api::Scene, path: &str) -> (StatusCode, String) {
    let r = no_redirects()
        .get(s.app.url(path))
        .header("cookie", cookies(&s.payer.token))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn post(
    s: &crate::payments::api::Scene,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields = vec![("csrf", CSRF)];
    fields.extend_from_slice(form);
    no_redirects()
        .post(s.app.url(path))
        .header("cookie", cookies(&s.payer.token))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

/// A page as someone who is not logged in sees it.
async fn text(http: &reqwest::Client, s: &crate::payments::api::Scene, path: &str) -> String {
    http.get(s.app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_card_is_linked_on_its_page_and_a_mistyped_one_is_refused_by_field() {
    let s = scene(&[]).await;
    let r = post(
        &s,
        "/cards",
        &[
            ("card.number", "4111 1111 1111 1112"),
            ("card.expiry", "12/30"),
            ("card.cvc", "123"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("номер карты набран с ошибкой"), "{html}");
    assert!(
        html.contains("value=\"4111 1111 1111 1112\""),
        "typed value kept"
    );
    let cards: Value = s
        .app
        .get_auth("/api/v1/cards", &s.payer.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cards, json!([]), "nothing linked");

    let r = post(
        &s,
        "/cards",
        &[
            ("card.number", GOOD_CARD),
            ("card.expiry", "12/30"),
            ("card.cvc", "123"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, html) = page(&s, "/cards").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("VISA •••• 1111"), "{html}");
    assert!(html.contains("12/30"));
}

#[tokio::test]
async fn the_account_page_shows_balance_movements_filters_and_refunds() {
    let s = scene(&[]).await;
    s.top_up("page-top", 100000).await;

    let (status, html) = page(&s, "/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<strong id=\"balance\">1\u{a0}000\u{a0}₽</strong>"),
        "{html}"
    );
    assert!(html.contains("Пополнение счёта"));
    assert!(html.contains("/api/v1/account/statement.pdf?"));

    let (_, html) = page(&s, "/account?from=2026-11-30&to=2026-11-01").await;
    assert!(html.contains("начало периода позже его конца"), "{html}");
    let (_, html) = page(&s, "/account?from=2026-12-01&to=2026-12-31").await;
    assert!(html.contains("За период операций нет."), "{html}");

    let r = post(&s, "/account/refund", &[("amount", "много")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("сумма в рублях, например 1 500 или 1500,50")
    );
    let r = post(&s, "/account/refund", &[("amount", "5000")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("На лицевом счёте недостаточно средств: 1\u{a0}000\u{a0}₽"),
        "{html}"
    );
    assert_eq!(s.balance().await, 100000, "nothing refunded");

    let r = post(&s, "/account/refund", &[("amount", "200")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/account?refunded=1");
    assert_eq!(s.balance().await, 80000);
    let (_, html) = page(&s, "/account?refunded=1").await;
    assert!(html.contains("Возврат отправлен в банк."));
    assert!(html.contains("Возврат на карту"));
    s.ledger_verify().await;
}

#[tokio::test]
async fn anyone_finds_a_charge_by_uin_and_checks_a_receipt_on_pages() {
    let s = scene(&[&uin(70)]).await;
    let anonymous = no_redirects();
    let html = text(&anonymous, &s, "/charges/find?uin=18810177260000000709").await;
    assert!(
        html.contains("контрольный разряд УИН не сходится"),
        "{html}"
    );
    let html = text(&anonymous, &s, &format!("/charges/find?uin={}", uin(70))).await;
    assert!(html.contains("УФК по г. Москве"), "{html}");
    assert!(html.contains("750\u{a0}₽"));

    let paid = s.pay_fully("page-check", &[&uin(70)]).await;
    let receipt: Value = s
        .app
        .get_auth(
            &format!("/api/v1/payments/{}/receipt", paid["id"].as_str().unwrap()),
            &s.payer.token,
        )
        .await
        .json()
        .await
        .unwrap();
    let url = receipt["check_url"].as_str().unwrap();
    let path = url
        .strip_prefix(&s.app.platform.config.public_url())
        .unwrap();
    let html = text(&anonymous, &s, path).await;
    assert!(html.contains("Квитанция подлинная"), "{html}");
    assert!(html.contains("П****** А. С."));
    assert!(!html.contains("Петрова"), "the payer is masked");
    let r = anonymous
        .get(s.app.url(&format!(
            "{}0",
            path.trim_end_matches(char::is_alphanumeric)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_vehicle_certificate_is_added_on_the_charges_page() {
    let s = scene(&[]).await;
    let r = post(
        &s,
        "/charges/documents",
        &[("kind", "vehicle_certificate"), ("number", "77 ЖЖ 123456")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("серия и номер СТС — 10 знаков, например 77 УС 123456"),
        "{html}"
    );
    assert!(html.contains("value=\"77 ЖЖ 123456\""), "typed value kept");
    let r = post(
        &s,
        "/charges/documents",
        &[("kind", "vehicle_certificate"), ("number", "77 yc 123456")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&s, "/charges").await;
    assert!(
        html.contains("Свидетельство о регистрации ТС (СТС): <strong>77 УС 123456</strong>"),
        "{html}"
    );
}
