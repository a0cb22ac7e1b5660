//! A citizen orders certificates in a real browser and anyone checks one
//! on the page its QR code opens, by uploading the file.

use crate::documents::api::holder;
use crate::helpers::browser::{
    arrive, browser, click, sign_in, snapshot, start_driver, text_of, until_text,
};
use fantoccini::Locator;
use sep_identity::model::AssuranceLevel;
use serde_json::Value;

#[tokio::test]
async fn certificates_are_ordered_and_checked_in_a_real_browser() {
    let Some(driver) = start_driver() else { return };
    let app = crate::documents::api::issuing_app().await;
    let anna = holder(&app, "+79161280001", AssuranceLevel::Standard).await;
    let c = browser(&driver).await;
    sign_in(&c, &app, &anna.phone).await;

    c.goto(&app.url("/documents")).await.unwrap();
    assert_eq!(text_of(&c, "#my-documents").await, "Документов пока нет.");
    click(&c, "#order-documents").await;
    arrive(&c, "/documents/order").await;
    click(&c, "#kind-income").await;
    click(&c, "#kind-debts").await;
    snapshot(&c, "documents-1-order").await;
    click(&c, "#order").await;
    arrive(&c, "/documents").await;
    assert_eq!(
        text_of(&c, "#notice").await,
        "Заказано 2 справки. Они появятся здесь через несколько секунд."
    );
    let listed = text_of(&c, "#my-documents").await;
    assert!(
        listed.contains("Справка о доходах и суммах налога физического лица"),
        "{listed}"
    );
    assert!(listed.contains("ФССП России"), "{listed}");
    assert_eq!(listed.matches("Готов").count(), 2, "{listed}");
    snapshot(&c, "documents-2-list").await;

    let mine: Value = app
        .get_auth_json("/api/v1/documents?kind=income", &anna.token)
        .await;
    let id = mine[0]["id"].as_str().unwrap();
    c.goto(&app.url(&format!("/documents/{id}"))).await.unwrap();
    let check = c
        .find(Locator::Id("verify-url"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(check, mine[0]["verify_url"].as_str().unwrap());
    snapshot(&c, "documents-3-document").await;

    let pdf = app
        .get_auth(&format!("/api/v1/documents/{id}/file"), &anna.token)
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let dir = tempfile::tempdir().unwrap();
    let genuine = dir.path().join("spravka.pdf");
    std::fs::write(&genuine, &pdf).unwrap();
    let mut bytes = pdf.clone();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x08;
    let altered = dir.path().join("spravka-altered.pdf");
    std::fs::write(&altered, &bytes).unwrap();

    // The page the QR code opens (the public URL is the test server's own).
    let path = &check[check.find("/verify/").unwrap()..];
    c.goto(&app.url(path)).await.unwrap();
    assert_eq!(text_of(&c, "#holder").await, "П****** А. С.");
    assert_eq!(text_of(&c, "#standing").await, "Действует");
    let upload = |file: std::path::PathBuf| {
        let c = &c;
        async move {
            c.find(Locator::Id("f-file"))
                .await
                .unwrap()
                .send_keys(file.to_str().unwrap())
                .await
                .unwrap();
            click(c, "#check").await;
        }
    };
    upload(genuine).await;
    until_text(
        &c,
        "#verdict",
        "Документ подлинный: файл в точности тот, что был выдан, подпись действительна, документ не отозван.",
    )
    .await;
    snapshot(&c, "documents-4-authentic").await;
    upload(altered).await;
    until_text(
        &c,
        "#verdict",
        "Файл изменён: он не совпадает с выданным документом. Не принимайте его.",
    )
    .await;
    snapshot(&c, "documents-5-altered").await;
    c.client.clone().close().await.expect("browser closes");
}
