//! The issuing side's PKI: the demo CA on the trust list and published, a
//! signing certificate per agency, and a document signed as an agency that
//! `openssl cms -verify` accepts against the published CA (and refuses once
//! one byte changes).

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn agencies_sign_with_certificates_of_the_published_ca() {
    let app = TestApp::with_catalog().await;
    let p = &app.platform;
    let issued = sep::demo::ensure_pki(p).await.unwrap();
    let agencies = sep_catalog::service::agencies(p).await.unwrap().len();
    assert!(agencies >= 10);
    assert_eq!(issued, agencies, "one per demo agency");
    let again = sep::demo::ensure_pki(p).await.unwrap();
    assert_eq!(again, 0, "idempotent");

    let r = app.get("/api/v1/signatures/ca.pem").await;
    assert_eq!(r.status(), StatusCode::OK);
    let ca = r.text().await.unwrap();
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");
    let list = app.get_json("/api/v1/signatures/trust-list").await;
    let list: &Vec<Value> = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"], sep_signatures::service::DEMO_CA);
    assert_eq!(list[0]["certificate"], ca.as_str());

    if !tools_present(&["/usr/bin/openssl"]) {
        return;
    }
    let doc = "Справка о состоянии расчётов с бюджетом"
        .as_bytes()
        .to_vec();
    let sig = sep_signatures::service::sign_as_agency(p, "fns", &doc)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert!(openssl_verifies(
        dir.path(),
        app.platform.now(),
        &doc,
        &sig,
        &ca
    ));
    let mut altered = doc.clone();
    altered[0] ^= 1;
    assert!(!openssl_verifies(
        dir.path(),
        app.platform.now(),
        &altered,
        &sig,
        &ca
    ));
    // Nor is it trusted under another authority.
    let stranger = sep_pki::pki::demo_ca("Чужой УЦ", app.platform.now(), 1).unwrap();
    assert!(!openssl_verifies(
        dir.path(),
        app.platform.now(),
        &doc,
        &sig,
        &stranger.cert_pem()
    ));
    let out = std::process::Command::new("/usr/bin/openssl")
        .current_dir(dir.path())
        .args([
            "cms", "-cmsout", "-print", "-inform", "DER", "-in", "doc.sig",
        ])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        printed.contains("7707329152"),
        "the agency's ИНН in its certificate: {printed}"
    );
}
