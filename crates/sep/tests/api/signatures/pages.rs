//! «Электронные подписи», signing an application and the trust list on
//! pages over plain HTTP (no script): every refusal shown at its field.

use crate::documents::api::{holder, issuing_app, tax_statement};
use crate::helpers::pages::{CSRF, cookies, no_redirects, page};
use crate::helpers::*;
use crate::signatures::users::{OPENSSL, cms_sign, p12};
use chrono::Duration;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use reqwest::multipart::{Form, Part};
use sep_identity::{model::AssuranceLevel, model::Role};
use sep_pki::pki;

/// A page's multipart form as a browser sends it: the hidden CSRF field first.
fn page_form() -> Form {
    Form::new().text("csrf", CSRF)
}

async fn multipart(app: &TestApp, path: &str, token: &str, form: Form) -> reqwest::Response {
    no_redirects()
        .post(app.url(path))
        .header("cookie", cookies(token))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn certificates_are_added_used_and_annulled_on_pages() {
    if !tools_present(&[OPENSSL]) {
        return;
    }
    let app = issuing_app().await;
    let p = &app.platform;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let (_, admin) = app.user_with_role(Role::Admin, "+79161270001").await;
    let (_, citizen) = app.user_with_role(Role::Citizen, "+79161270002").await;
    let now = p.now();
    let ca = pki::demo_ca("Региональный УЦ", now - Duration::days(10), 5).unwrap();

    // The trust list page: administrators only; a wrong certificate is named.
    let (status, _) = page(&app, "/admin/trust-list", &citizen).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let add = |cert: &str| {
        vec![
            ("csrf", CSRF.to_string()),
            ("name", "Региональный УЦ".to_string()),
            ("certificate", cert.to_string()),
        ]
    };
    let r = no_redirects()
        .post(app.url("/admin/trust-list"))
        .header("cookie", cookies(&admin))
        .form(&add(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("это не сертификат X.509"), "{html}");
    assert!(
        html.contains("value=\"Региональный УЦ\""),
        "typed name kept"
    );
    let r = no_redirects()
        .post(app.url("/admin/trust-list"))
        .header("cookie", cookies(&admin))
        .form(&add(&ca.cert_pem()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, "/admin/trust-list", &admin).await;
    assert!(html.contains("Региональный УЦ"));

    // «Электронные подписи»: a wrong password said at its field, then added.
    let anna = holder(&app, "+79161270003", AssuranceLevel::Standard).await;
    let cert = pki::issue_person(
        &ca,
        "Петрова Анна Сергеевна",
        Some("11223344595"),
        now - Duration::days(1),
        now + Duration::days(300),
    )
    .unwrap();
    let file = p12(dir, &cert, "секрет");
    let with = |password: &str| {
        page_form()
            .part("file", Part::bytes(file.clone()).file_name("anna.pfx"))
            .text("password", password.to_string())
    };
    let r = multipart(&app, "/signatures", &anna.token, with("не тот")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("data-field=\"password\">неверный пароль к файлу"),
        "{html}"
    );
    let r = multipart(&app, "/signatures", &anna.token, with("секрет")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, "/signatures?added=1", &anna.token).await;
    assert!(html.contains("Сертификат добавлен."));
    assert!(html.contains("Петрова Анна Сергеевна"));
    assert!(html.contains("Усиленная неквалифицированная подпись"));

    // The application page offers to sign; a signature of other data is refused.
    let r = app
        .submit(&anna.token, "page-signed", &tax_statement("500100732259"))
        .await;
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, html) = page(&app, &format!("/applications/{id}"), &anna.token).await;
    assert!(html.contains("id=\"signing-payload\""));
    assert!(html.contains("Простая электронная подпись"));
    let sig_form =
        |sig: Vec<u8>| page_form().part("signature", Part::bytes(sig).file_name("z.sig"));
    let r = multipart(
        &app,
        &format!("/applications/{id}/sign"),
        &anna.token,
        sig_form(cms_sign(dir, &cert, b"other")),
    )
    .await;
    let html = r.text().await.unwrap();
    assert!(html.contains("подпись сделана для других данных"), "{html}");
    let payload = app
        .get_auth(
            &format!("/api/v1/applications/{id}/signing-payload"),
            &anna.token,
        )
        .await
        .bytes()
        .await
        .unwrap();
    let r = multipart(
        &app,
        &format!("/applications/{id}/sign"),
        &anna.token,
        sig_form(cms_sign(dir, &cert, &payload)),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()[LOCATION].to_str().unwrap().to_string();
    let (_, html) = page(&app, &to, &anna.token).await;
    assert!(html.contains("Заявление подписано."));
    assert!(
        html.contains("Усиленная неквалифицированная подпись</strong> — Петрова Анна Сергеевна"),
        "{html}"
    );

    // Annulled on its page: it can sign no more, and the page no longer offers to.
    let mine = app
        .get_auth_json("/api/v1/signatures/certificates", &anna.token)
        .await;
    let cert_id = mine[0]["id"].as_str().unwrap();
    let r = no_redirects()
        .post(app.url(&format!("/signatures/{cert_id}/annul")))
        .header("cookie", cookies(&anna.token))
        .form(&[("csrf", CSRF), ("reason", "Потерян токен")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, "/signatures?annulled=1", &anna.token).await;
    assert!(html.contains("Аннулирован 24.11.2026"), "{html}");
    assert!(html.contains("Потерян токен"));
    let (_, html) = page(&app, &format!("/applications/{id}"), &anna.token).await;
    assert!(!html.contains("id=\"sign-form\""));
    assert!(
        html.contains("поставлена до аннулирования сертификата"),
        "{html}"
    );
}
