//! Electronic signatures of people: the trust list kept by administrators,
//! certificates added from a .p12 made by `openssl pkcs12 -export` (every
//! refusal distinct, nothing stored), or by a challenge signed with
//! `openssl cms -sign`; an application signed with one (and the signature
//! checked by openssl too); annulment: nothing more is signed, what was
//! signed before says so.

use crate::documents::api::{holder, issuing_app, tax_statement};
use crate::helpers::*;
use chrono::Duration;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sep_identity::{model::AssuranceLevel, model::Role};
use sep_pki::{pki, pki::Issued};
use serde_json::{Value, json};
use std::path::Path;

pub const OPENSSL: &str = "/usr/bin/openssl";

/// Runs openssl in `dir`; its standard output, or a failed test.
fn openssl(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(OPENSSL)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A .p12 of `holder`'s certificate and key, as `openssl pkcs12 -export` makes it.
pub fn p12(dir: &Path, holder: &Issued, password: &str) -> Vec<u8> {
    p12_of(dir, &holder.cert_pem(), &holder.key_pem(), password)
}

/// As `p12`, for a certificate and key given as PEM.
pub fn p12_of(dir: &Path, cert_pem: &str, key_pem: &str, password: &str) -> Vec<u8> {
    std::fs::write(dir.join("user.pem"), cert_pem).unwrap();
    std::fs::write(dir.join("user.key"), key_pem).unwrap();
    openssl(
        dir,
        &[
            "pkcs12",
            "-export",
            "-in",
            "user.pem",
            "-inkey",
            "user.key",
            "-name",
            "Петрова",
            "-passout",
            &format!("pass:{password}"),
            "-out",
            "user.p12",
        ],
    );
    std::fs::read(dir.join("user.p12")).unwrap()
}

/// A detached CMS signature of `data` by `holder`, as `openssl cms -sign` makes it.
pub fn cms_sign(dir: &Path, holder: &Issued, data: &[u8]) -> Vec<u8> {
    cms_sign_with(dir, &holder.cert_pem(), &holder.key_pem(), data)
}

/// As `cms_sign`, for a certificate and key given as PEM.
pub fn cms_sign_with(dir: &Path, cert_pem: &str, key_pem: &str, data: &[u8]) -> Vec<u8> {
    std::fs::write(dir.join("data.bin"), data).unwrap();
    std::fs::write(dir.join("signer.pem"), cert_pem).unwrap();
    std::fs::write(dir.join("signer.key"), key_pem).unwrap();
    openssl(
        dir,
        &[
            "cms",
            "-sign",
            "-binary",
            "-md",
            "sha256",
            "-in",
            "data.bin",
            "-signer",
            "signer.pem",
            "-inkey",
            "signer.key",
            "-outform",
            "DER",
            "-out",
            "data.sig",
        ],
    );
    std::fs::read(dir.join("data.sig")).unwrap()
}

async fn upload(app: &TestApp, token: &str, file: Vec<u8>, password: &str) -> reqwest::Response {
    let form = Form::new()
        .part("file", Part::bytes(file).file_name("подпись.p12"))
        .text("password", password.to_string());
    app.http
        .post(app.url("/api/v1/signatures/certificates"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn refusal(r: reqwest::Response) -> (StatusCode, String, String) {
    let status = r.status();
    let text = r.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text:?}"));
    let e = &body["errors"][0];
    match e["field"].as_str() {
        Some(f) => (
            status,
            f.to_string(),
            e["code"].as_str().unwrap().to_string(),
        ),
        None => (
            status,
            String::new(),
            body["code"].as_str().unwrap().to_string(),
        ),
    }
}

/// A certification authority (valid since well before the test's clock) put
/// on the trust list by an administrator with phone `admin_phone`.
async fn trusted_ca(app: &TestApp, admin_phone: &str, name: &str, qualified: bool) -> Issued {
    let (_, admin) = app.user_with_role(Role::Admin, admin_phone).await;
    let ca = pki::demo_ca(name, app.platform.now() - Duration::days(400), 10).unwrap();
    let r = app
        .post_auth(
            "/api/v1/signatures/trust-list",
            &admin,
            json!({ "name": name, "certificate": ca.cert_pem(), "qualified": qualified }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    ca
}

async fn count(app: &TestApp, table: &str) -> String {
    app.raw_text(&format!("SELECT CAST(COUNT(*) AS TEXT) AS n FROM {table}"))
        .await[0]
        .clone()
        .unwrap()
}

#[tokio::test]
async fn administrators_keep_the_trust_list() {
    let app = issuing_app().await;
    let (_, admin) = app.user_with_role(Role::Admin, "+79161260001").await;
    let (_, citizen) = app.user_with_role(Role::Citizen, "+79161260002").await;
    let now = app.platform.now();
    let ca = pki::demo_ca("Тестовый УЦ", now, 5).unwrap();
    let leaf = pki::issue_person(
        &ca,
        "Петрова Анна Сергеевна",
        None,
        now,
        now + Duration::days(30),
    )
    .unwrap();
    let add =
        |name: &str, cert: String| json!({ "name": name, "certificate": cert, "qualified": true });

    let r = app
        .post_auth(
            "/api/v1/signatures/trust-list",
            &citizen,
            add("Тестовый УЦ", ca.cert_pem()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    for (input, field, code) in [
        (
            add("Тестовый УЦ", "не сертификат".into()),
            "certificate",
            "certificate-unreadable",
        ),
        (
            add("Тестовый УЦ", leaf.cert_pem()),
            "certificate",
            "certificate-not-ca",
        ),
        (add("УЦ", ca.cert_pem()), "name", "anchor-name-length"),
    ] {
        let r = app
            .post_auth("/api/v1/signatures/trust-list", &admin, input)
            .await;
        assert_eq!(
            refusal(r).await,
            (StatusCode::UNPROCESSABLE_ENTITY, field.into(), code.into())
        );
    }
    assert_eq!(count(&app, "trust_anchors").await, "1", "nothing added");
    let r = app
        .post_auth(
            "/api/v1/signatures/trust-list",
            &admin,
            add("Тестовый УЦ", ca.cert_pem()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let added = json_of(r).await;
    assert_eq!(added["qualified"], true);
    let r = app
        .post_auth(
            "/api/v1/signatures/trust-list",
            &admin,
            add("Тот же УЦ", ca.cert_pem()),
        )
        .await;
    assert_eq!(refusal(r).await.2, "anchor-exists");
    let list = app.get_json("/api/v1/signatures/trust-list").await;
    assert_eq!(list.as_array().unwrap().len(), 2);

    let demo = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == sep_signatures::service::DEMO_CA)
        .unwrap()["fingerprint_sha256"]
        .as_str()
        .unwrap();
    let r = app
        .http
        .delete(app.url(&format!("/api/v1/signatures/trust-list/{demo}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        refusal(r).await,
        (StatusCode::CONFLICT, String::new(), "anchor-in-use".into())
    );
    let test = added["fingerprint_sha256"].as_str().unwrap();
    let r = app
        .http
        .delete(app.url(&format!("/api/v1/signatures/trust-list/{test}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let list = app.get_json("/api/v1/signatures/trust-list").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_citizen_adds_a_certificate_signs_an_application_and_annuls_it() {
    if !tools_present(&[OPENSSL]) {
        return;
    }
    let app = issuing_app().await;
    let p = &app.platform;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let now = p.now();
    let ca = trusted_ca(&app, "+79161260011", "Аккредитованный УЦ", true).await;
    let stranger_ca = pki::demo_ca("Неизвестный УЦ", now, 10).unwrap();
    let person = |ca: &Issued, from, to| {
        pki::issue_person(ca, "Петрова Анна Сергеевна", Some("11223344595"), from, to).unwrap()
    };
    let good = person(&ca, now - Duration::days(1), now + Duration::days(365));
    let expired = person(&ca, now - Duration::days(400), now - Duration::days(35));
    let untrusted = person(
        &stranger_ca,
        now - Duration::days(1),
        now + Duration::days(365),
    );
    let anna = holder(&app, "+79161260012", AssuranceLevel::Standard).await;

    // Each refusal distinct, nothing kept.
    let cases: Vec<(Vec<u8>, &str, (&str, &str))> = vec![
        (
            p12(dir, &good, "верный-пароль"),
            "неверный",
            ("password", "p12-wrong-password"),
        ),
        (
            b"not a pkcs12 file at all".to_vec(),
            "x",
            ("file", "p12-corrupt"),
        ),
        (
            p12(dir, &expired, "пароль"),
            "пароль",
            ("file", "certificate-expired"),
        ),
        (
            p12(dir, &untrusted, "пароль"),
            "пароль",
            ("file", "certificate-untrusted"),
        ),
    ];
    for (file, password, (field, code)) in cases {
        let r = upload(&app, &anna.token, file, password).await;
        assert_eq!(
            refusal(r).await,
            (StatusCode::UNPROCESSABLE_ENTITY, field.into(), code.into())
        );
    }
    assert_eq!(count(&app, "user_certificates").await, "0");
    let r = upload(&app, &anna.token, p12(dir, &good, "пароль"), "неверный").await;
    let problem = json_of(r).await;
    assert_eq!(
        problem["errors"][0]["message"],
        "Пароль: неверный пароль к файлу"
    );

    let good_p12 = p12(dir, &good, "верный-пароль");
    let r = upload(&app, &anna.token, good_p12.clone(), "верный-пароль").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let cert = json_of(r).await;
    assert_eq!(cert["subject"], "Петрова Анна Сергеевна");
    assert_eq!(cert["issuer"], "Аккредитованный УЦ — демонстрационный УЦ");
    assert_eq!(cert["level"], "qualified");
    let r = upload(&app, &anna.token, good_p12.clone(), "верный-пароль").await;
    assert_eq!(refusal(r).await.2, "certificate-exists");
    let stored = app
        .raw_text("SELECT certificate FROM user_certificates")
        .await;
    assert!(
        !stored[0].as_deref().unwrap().contains("PRIVATE"),
        "only the certificate is kept"
    );

    // A key kept on a token: a signed challenge instead of the key.
    let token_key = person(&ca, now - Duration::days(1), now + Duration::days(200));
    let challenge = app
        .get_auth_json("/api/v1/signatures/challenge", &anna.token)
        .await["challenge"]
        .as_str()
        .unwrap()
        .to_string();
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let wrong = cms_sign(dir, &token_key, b"something else");
    let r = app
        .post_auth(
            "/api/v1/signatures/certificates/signed",
            &anna.token,
            json!({ "certificate": token_key.cert_pem(), "challenge": challenge, "signature": b64(&wrong) }),
        )
        .await;
    assert_eq!(refusal(r).await.2, "signature-bad");
    let signed = cms_sign(dir, &token_key, challenge.as_bytes());
    let answer = json!({ "certificate": token_key.cert_pem(), "challenge": challenge, "signature": b64(&signed) });
    // A challenge not issued by СЭП (its code altered) is refused.
    let mut forged = answer.clone();
    let last = if challenge.ends_with('0') { '1' } else { '0' };
    let altered = format!("{}{last}", &challenge[..challenge.len() - 1]);
    forged["challenge"] = json!(altered);
    let r = app
        .post_auth(
            "/api/v1/signatures/certificates/signed",
            &anna.token,
            forged,
        )
        .await;
    assert_eq!(refusal(r).await.2, "challenge-stale");
    // So is one older than a quarter of an hour (the session kept alive meanwhile).
    app.clock.advance(Duration::minutes(10));
    app.get_auth_json("/api/v1/signatures/certificates", &anna.token)
        .await;
    app.clock.advance(Duration::minutes(6));
    let r = app
        .post_auth(
            "/api/v1/signatures/certificates/signed",
            &anna.token,
            answer.clone(),
        )
        .await;
    assert_eq!(refusal(r).await.2, "challenge-stale");
    app.clock.advance(Duration::minutes(-16));
    let r = app
        .post_auth(
            "/api/v1/signatures/certificates/signed",
            &anna.token,
            answer,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let mine = app
        .get_auth_json("/api/v1/signatures/certificates", &anna.token)
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 2);

    // The application is signed with the certificate; openssl agrees.
    let r = app
        .submit(&anna.token, "signed-1", &tax_statement("500100732259"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = json_of(r).await["id"].as_str().unwrap().to_string();
    let payload = app
        .get_auth(
            &format!("/api/v1/applications/{id}/signing-payload"),
            &anna.token,
        )
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    assert!(String::from_utf8_lossy(&payload).contains("500100732259"));
    let sig = cms_sign(dir, &good, &payload);
    std::fs::write(dir.join("ca.pem"), ca.cert_pem()).unwrap();
    assert!(openssl_verifies(
        dir,
        app.platform.now(),
        &payload,
        &sig,
        &ca.cert_pem()
    ));
    let signatures = format!("/api/v1/applications/{id}/signatures");
    let r = app
        .post_auth(
            &signatures,
            &anna.token,
            json!({ "signature": b64(&cms_sign(dir, &good, b"{}")) }),
        )
        .await;
    assert_eq!(refusal(r).await.2, "signature-not-of-this");
    let r = app
        .post_auth(&signatures, &anna.token, json!({ "signature": b64(&sig) }))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(json_of(r).await["level"], "qualified");

    // Annulled: no more signing; what was signed before still stands and says so.
    let cert_id = cert["id"].as_str().unwrap();
    let annul = format!("/api/v1/signatures/certificates/{cert_id}/annul");
    app.clock.advance(Duration::minutes(10));
    let r = app
        .post_auth(
            &annul,
            &anna.token,
            json!({ "reason": "Ключ скомпрометирован" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(json_of(r).await["annulled_at"].is_string());
    let r = app.post_auth(&annul, &anna.token, json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = app
        .post_auth(&signatures, &anna.token, json!({ "signature": b64(&sig) }))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let problem = json_of(r).await;
    assert_eq!(problem["code"], "certificate-annulled");
    assert_eq!(
        problem["detail"],
        "Сертификат аннулирован 24.11.2026 12:10 (МСК): подписывать им нельзя"
    );
    let r = upload(&app, &anna.token, good_p12, "верный-пароль").await;
    assert_eq!(refusal(r).await.2, "certificate-annulled");
    // The public registry lists it, without the holder's name.
    let registry = app.get_json("/api/v1/signatures/revocations").await;
    assert_eq!(registry.as_array().unwrap().len(), 1);
    assert_eq!(registry[0]["serial"], cert["serial"]);
    assert_eq!(
        registry[0]["fingerprint_sha256"],
        cert["fingerprint_sha256"]
    );
    assert!(!registry.to_string().contains("Петрова"));
    let all = app.get_auth_json(&signatures, &anna.token).await;
    let levels: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["simple", "qualified"]);
    assert_eq!(all[0]["valid"], true);
    assert_eq!(all[1]["valid"], true, "signed before the annulment");
    assert!(all[1]["certificate"]["annulled_at"].is_string());
    assert_eq!(
        count(&app, "signed_acts").await,
        "2",
        "the refused signature left nothing"
    );
}

#[tokio::test]
async fn an_rsa_key_made_by_openssl_is_added_and_signs() {
    if !tools_present(&[OPENSSL]) {
        return;
    }
    let app = issuing_app().await;
    let p = &app.platform;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let now = p.now();
    let ca = trusted_ca(&app, "+79161260021", "УЦ для RSA", false).await;
    // The key as openssl makes it by default; the CA certifies its public half.
    openssl(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "rsa.key",
        ],
    );
    openssl(
        dir,
        &[
            "pkey", "-in", "rsa.key", "-pubout", "-outform", "DER", "-out", "rsa.pub",
        ],
    );
    let cert = pki::certify_person_key(
        &ca,
        "Петрова Анна Сергеевна",
        &std::fs::read(dir.join("rsa.pub")).unwrap(),
        now - Duration::days(1),
        now + Duration::days(300),
    )
    .unwrap();
    let cert_pem = pki::pem(&cert);
    let key_pem = std::fs::read_to_string(dir.join("rsa.key")).unwrap();
    let ivan = holder(&app, "+79161260022", AssuranceLevel::Standard).await;
    // The same key certified in another person's name is not theirs to keep.
    let strangers = pki::certify_person_key(
        &ca,
        "Иванов Иван Иванович",
        &std::fs::read(dir.join("rsa.pub")).unwrap(),
        now - Duration::days(1),
        now + Duration::days(300),
    )
    .unwrap();
    let file = p12_of(dir, &pki::pem(&strangers), &key_pem, "пароль");
    let r = upload(&app, &ivan.token, file, "пароль").await;
    assert_eq!(
        refusal(r).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "file".into(),
            "certificate-other-person".into()
        )
    );
    let file = p12_of(dir, &cert_pem, &key_pem, "пароль");
    let r = upload(&app, &ivan.token, file, "пароль").await;
    assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);

    let (signatures, r) =
        submit_and_sign(&app, &ivan.token, "rsa-1", dir, &cert_pem, &key_pem).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let all = app.get_auth_json(&signatures, &ivan.token).await;
    assert_eq!(all[1]["level"], "enhanced");
    assert_eq!(all[1]["valid"], true);

    // Taken off the trust list, the CA's certificates sign nothing more.
    let (_, admin) = app
        .user_with_role(sep_identity::model::Role::Admin, "+79161260023")
        .await;
    let list = app.get_json("/api/v1/signatures/trust-list").await;
    let fp = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "УЦ для RSA")
        .unwrap()["fingerprint_sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .delete_auth(&format!("/api/v1/signatures/trust-list/{fp}"), &admin)
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (_, r) = submit_and_sign(&app, &ivan.token, "rsa-2", dir, &cert_pem, &key_pem).await;
    assert_eq!(
        refusal(r).await,
        (
            StatusCode::CONFLICT,
            String::new(),
            "certificate-untrusted-now".into()
        )
    );
}

/// Submits a tax statement and signs its payload with the key by openssl;
/// the application's signatures path and the signing's answer.
async fn submit_and_sign(
    app: &TestApp,
    token: &str,
    key: &str,
    dir: &Path,
    cert_pem: &str,
    key_pem: &str,
) -> (String, reqwest::Response) {
    use base64::Engine;
    let r = app.submit(token, key, &tax_statement("500100732259")).await;
    let id = json_of(r).await["id"].as_str().unwrap().to_string();
    let payload = app
        .get_auth(&format!("/api/v1/applications/{id}/signing-payload"), token)
        .await
        .bytes()
        .await
        .unwrap();
    let sig = cms_sign_with(dir, cert_pem, key_pem, &payload);
    let signatures = format!("/api/v1/applications/{id}/signatures");
    let r = app
        .post_auth(
            &signatures,
            token,
            json!({ "signature": base64::engine::general_purpose::STANDARD.encode(&sig) }),
        )
        .await;
    (signatures, r)
}
