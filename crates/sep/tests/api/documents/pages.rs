//! «Мои документы» and the public check over plain HTTP (no script):
//! ordering with a profile gap named, the list and its filters, a document's
//! page with email and postal delivery, and the check page a QR code opens.

use crate::documents::api::{bytes_of, holder, issuing_app, order};
use crate::helpers::pages::{CSRF, cookies, no_redirects, page};
use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use reqwest::multipart::{Form, Part};
use sep_identity::model::AssuranceLevel;
use serde_json::Value;

async fn post(app: &TestApp, path: &str, token: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let mut fields = vec![("csrf", CSRF)];
    fields.extend_from_slice(form);
    no_redirects()
        .post(app.url(path))
        .header("cookie", cookies(token))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

/// Uploads `file` on a check page as a visitor with only the CSRF cookie.
async fn upload(app: &TestApp, path: &str, file: Vec<u8>, csrf: &str) -> (StatusCode, String) {
    let form = Form::new()
        .text("csrf", csrf.to_string())
        .part("file", Part::bytes(file).file_name("справка.pdf"));
    let r = no_redirects()
        .post(app.url(path))
        .header("cookie", format!("sep_csrf={CSRF}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn certificates_are_ordered_listed_sent_and_posted_on_pages() {
    let app = issuing_app().await;
    let (status, _) = page(&app, "/documents", "no-session").await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // A profile without ИНН: the income certificate is refused with a link to the profile.
    let bare = app
        .applicant("+79161250001", AssuranceLevel::Standard, "")
        .await;
    let (status, html) = page(&app, "/documents/order", &bare.token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Справка о доходах и суммах налога физического лица"));
    assert!(html.contains("только для подтверждённой учётной записи"));
    let r = post(
        &app,
        "/documents/order",
        &bare.token,
        &[("kind", "income"), ("kind", "pension")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("ИНН: нужно для заказанной справки"), "{html}");
    assert!(
        html.contains("СНИЛС: нужно для заказанной справки"),
        "{html}"
    );
    assert!(html.contains("id=\"fill-profile\""));
    assert!(
        html.contains("value=\"income\" id=\"kind-income\" checked"),
        "choices kept"
    );
    let r = post(
        &app,
        "/documents/order",
        &bare.token,
        &[("kind", "no-criminal-record")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("нужна учётная запись уровня «Подтверждённая»")
    );

    let anna = holder(&app, "+79161250002", AssuranceLevel::Standard).await;
    let r = post(
        &app,
        "/documents/order",
        &anna.token,
        &[("kind", "income"), ("kind", "medical-insurance")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()[LOCATION].to_str().unwrap().to_string();
    assert_eq!(to, "/documents?ordered=2");
    let (_, html) = page(&app, &to, &anna.token).await;
    assert!(html.contains("Заказано 2 справки"), "{html}");
    assert!(html.contains("Выписка из единого регистра застрахованных лиц (полис ОМС)"));
    assert!(html.contains("ФОМС"));
    assert_eq!(html.matches("data-state=\"issued\"").count(), 2, "{html}");
    let (_, html) = page(&app, "/documents?kind=medical-insurance", &anna.token).await;
    assert_eq!(html.matches("data-document=").count(), 1);
    // What the person uploaded with applications is there too.
    let r = app
        .upload(
            &anna.token,
            "выписка.pdf",
            b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let uploads = app.get_auth_json("/api/v1/attachments", &anna.token).await;
    assert_eq!(uploads[0]["file_name"], "выписка.pdf");
    let (_, html) = page(&app, "/documents", &anna.token).await;
    assert!(html.contains("Загруженные мной файлы"), "{html}");
    assert!(html.contains(&format!(
        "href=\"/api/v1/attachments/{}\">выписка.pdf",
        uploads[0]["id"].as_str().unwrap()
    )));
    let (status, html) = page(
        &app,
        "/documents?from=2026-12-01&to=2026-11-01",
        &anna.token,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("начало периода позже его конца"), "{html}");

    let mine: Value = app
        .get_auth_json("/api/v1/documents?kind=income", &anna.token)
        .await;
    let id = mine[0]["id"].as_str().unwrap().to_string();
    let (status, html) = page(&app, &format!("/documents/{id}"), &anna.token).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(mine[0]["sha256"].as_str().unwrap()));
    assert!(
        html.contains("value=\"101000\""),
        "the profile's address offered"
    );
    let (status, _) = page(&app, &format!("/documents/{id}"), &bare.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another person's document");

    let r = post(&app, &format!("/documents/{id}/email"), &anna.token, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()[LOCATION].to_str().unwrap().to_string();
    let (_, html) = page(&app, &to, &anna.token).await;
    assert!(
        html.contains("Документ отправлен на 79***@example.ru"),
        "{html}"
    );

    let postal = format!("/documents/{id}/postal");
    let r = post(
        &app,
        &postal,
        &anna.token,
        &[
            ("recipient", "Петрова А. С."),
            ("postcode", "19000"),
            ("region_code", "78"),
            ("delivery_address", "Невский пр., д. 10"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("data-field=\"postcode\""), "{html}");
    assert!(
        html.contains("value=\"Невский пр., д. 10\""),
        "typed values kept"
    );
    let r = post(
        &app,
        &postal,
        &anna.token,
        &[
            ("recipient", "Петрова А. С."),
            ("postcode", "190000"),
            ("region_code", "78"),
            ("delivery_address", "Невский пр., д. 10"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &format!("/documents/{id}"), &anna.token).await;
    assert!(
        html.contains("id=\"postal-state\">Доставка почтой заказана"),
        "{html}"
    );
    // Without the form's CSRF field nothing is sent.
    let r = no_redirects()
        .post(app.url(&format!("/documents/{id}/email")))
        .header("cookie", cookies(&anna.token))
        .form(&[("csrf", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_check_page_shows_the_document_masked_and_judges_an_uploaded_file() {
    let app = issuing_app().await;
    let anna = holder(&app, "+79161250003", AssuranceLevel::Standard).await;
    let ordered: Value = order(&app, &anna.token, &["tax-status"])
        .await
        .json()
        .await
        .unwrap();
    let doc = &ordered["documents"][0];
    let id = doc["id"].as_str().unwrap();
    let url = doc["verify_url"].as_str().unwrap();
    let path = &url[url.find("/verify/").unwrap()..];
    let pdf = bytes_of(&app, &format!("/api/v1/documents/{id}/file"), &anna.token).await;

    let visitor = reqwest::Client::new();
    let html = visitor
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Справка о статусе налогоплательщика"));
    assert!(html.contains("id=\"holder\">П****** А. С.<"), "{html}");
    assert!(
        !html.contains("Петрова"),
        "no personal data on the public page"
    );
    assert!(html.contains("Действует"));

    let (status, html) = upload(&app, path, pdf.clone(), CSRF).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-verdict=\"authentic\""), "{html}");
    let mut altered = pdf.clone();
    let at = altered.len() / 3;
    altered[at] ^= 0x04;
    let (_, html) = upload(&app, path, altered.clone(), CSRF).await;
    assert!(html.contains("data-verdict=\"altered\""), "{html}");
    assert!(html.contains("Файл изменён"));
    let (_, html) = upload(&app, "/verify", altered, CSRF).await;
    assert!(
        html.contains("data-verdict=\"altered\""),
        "recognised by its link too"
    );
    let (_, html) = upload(&app, "/verify", b"%PDF-1.4 not ours".to_vec(), CSRF).await;
    assert!(html.contains("data-verdict=\"unknown\""), "{html}");
    let (status, _) = upload(&app, path, pdf.clone(), "forged").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = upload(
        &app,
        &format!("/verify/{}", "cd".repeat(16)),
        pdf.clone(),
        CSRF,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no document, no check");
    // One journal line per look: the visit, the uploads here, the two on /verify.
    let audited = app
        .raw_text("SELECT details FROM audit_events WHERE action = 'documents.verify'")
        .await;
    assert_eq!(audited.len(), 5, "{audited:?}");

    // By digest, typed in (either algorithm).
    let r = no_redirects()
        .post(app.url("/verify"))
        .header("cookie", format!("sep_csrf={CSRF}"))
        .form(&[
            ("csrf", CSRF),
            ("algorithm", "streebog256"),
            ("digest", doc["streebog256"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("data-verdict=\"authentic\"")
    );
    let r = no_redirects()
        .post(app.url("/verify"))
        .header("cookie", format!("sep_csrf={CSRF}"))
        .form(&[("csrf", CSRF), ("algorithm", "sha256"), ("digest", "12ab")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("хеш — 64 шестнадцатеричных знака")
    );

    let r = visitor
        .get(app.url(&format!("/verify/{}", "ab".repeat(16))))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
