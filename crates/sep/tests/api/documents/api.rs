//! Certificates (справки) through the API: ordering (every refusal names the
//! field or the reason and leaves nothing), the issued PDF (text, QR, stamp),
//! its signature under openssl, «Мои документы» (filters, email, post), the
//! public check (authentic / altered / revoked / unknown, audited) and
//! decisions on applications as signed documents.

use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sep_identity::model::AssuranceLevel;
use serde_json::{Value, json};

pub use crate::applications::api::{SNILS, tax_statement};
const INN: &str = "500100732259";

async fn count(app: &TestApp, sql_where: &str) -> String {
    app.raw_text(&format!(
        "SELECT CAST(COUNT(*) AS TEXT) AS n FROM {sql_where}"
    ))
    .await[0]
        .clone()
        .unwrap()
}

/// The app with the catalogue and the agencies' signing certificates.
pub async fn issuing_app() -> TestApp {
    let app = TestApp::with_catalog().await;
    sep::demo::ensure_pki(&app.platform).await.unwrap();
    app
}

/// A citizen with a full profile (ИНН, passport) at `level`.
pub async fn holder(app: &TestApp, phone: &str, level: AssuranceLevel) -> Person {
    let person = app.applicant(phone, level, SNILS).await;
    let r = app
        .put_auth(
            "/api/v1/profile",
            &person.token,
            json!({
                "last_name": "Петрова", "first_name": "Анна", "patronymic": "Сергеевна",
                "birth_date": "05.03.1985", "snils": SNILS, "inn": INN,
                "passport_series": "45 06", "passport_number": "123456",
                "postcode": "101000", "region_code": "77",
                "address": "г. Москва, ул. Тверская, д. 1"
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
    person
}

pub async fn order(app: &TestApp, token: &str, kinds: &[&str]) -> reqwest::Response {
    app.post_auth("/api/v1/documents/orders", token, json!({ "kinds": kinds }))
        .await
}

pub async fn bytes_of(app: &TestApp, path: &str, token: &str) -> Vec<u8> {
    let r = app.get_auth(path, token).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.bytes().await.unwrap().to_vec()
}

async fn check_file(app: &TestApp, bytes: Vec<u8>, token: Option<&str>) -> Value {
    let mut form = Form::new().part("file", Part::bytes(bytes).file_name("doc.pdf"));
    if let Some(t) = token {
        form = form.text("token", t.to_string());
    }
    let r = app
        .http
        .post(app.url("/api/v1/verify"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    json_of(r).await
}

#[tokio::test]
async fn orders_are_refused_with_the_reason_and_nothing_is_created() {
    let app = issuing_app().await;
    // The profile has СНИЛС but no ИНН or passport.
    let anna = app
        .applicant("+79161240001", AssuranceLevel::Standard, SNILS)
        .await;
    let r = order(&app, &anna.token, &["income", "registration", "pension"]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    let fields = error_fields(&problem);
    assert_eq!(fields, ["inn", "passport"]);
    assert_eq!(
        problem["errors"][0]["message"],
        "ИНН: нужно для заказанной справки: заполните в профиле"
    );

    let r = order(&app, &anna.token, &["income", "passport-of-mars", "income"]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    assert_eq!(problem["errors"][0]["field"], "kinds[1]");
    assert_eq!(problem["errors"][0]["code"], "document-kind-unknown");
    assert_eq!(problem["errors"][1]["field"], "kinds[2]");
    assert_eq!(problem["errors"][1]["code"], "document-kind-repeated");

    let r = order(&app, &anna.token, &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(r).await["errors"][0]["field"], "kinds");

    // Criminal records only for a confirmed account; said in English when asked so.
    let r = app
        .http
        .post(app.url("/api/v1/documents/orders"))
        .bearer_auth(&anna.token)
        .header("accept-language", "en")
        .json(&json!({ "kinds": ["pension", "no-criminal-record"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let problem = json_of(r).await;
    assert_eq!(problem["code"], "level-too-low-document");
    assert_eq!(
        problem["detail"],
        "This certificate needs a “Confirmed” account: confirm your identity in your profile"
    );

    assert_eq!(count(&app, "documents").await, "0");
    assert_eq!(count(&app, "document_counters").await, "0");
    let mine = json_of(app.get_auth("/api/v1/documents", &anna.token).await).await;
    assert_eq!(mine, json!([]));
}

#[tokio::test]
async fn certificates_are_issued_signed_and_checked_by_anyone() {
    let app = issuing_app().await;
    let anna = holder(&app, "+79161240002", AssuranceLevel::Confirmed).await;
    let stranger = app
        .applicant("+79161240003", AssuranceLevel::Confirmed, "")
        .await;

    let r = order(
        &app,
        &anna.token,
        &["income", "pension", "no-criminal-record"],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let ordered = json_of(r).await;
    let docs = ordered["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3);
    for d in docs {
        assert_eq!(d["state"], "issued", "{d}");
        assert!(d["number"].as_str().unwrap().starts_with("Д-2026-"));
        assert_eq!(d["sha256"].as_str().unwrap().len(), 64);
        assert_eq!(d["streebog256"].as_str().unwrap().len(), 64);
    }
    let income = &docs[0];
    assert_eq!(income["kind"], "income");
    assert_eq!(income["agency"], "ФНС России");
    let id = income["id"].as_str().unwrap();

    // «Мои документы» with filters; nobody else sees them.
    let all = json_of(app.get_auth("/api/v1/documents", &anna.token).await).await;
    assert_eq!(all.as_array().unwrap().len(), 3);
    let only = json_of(
        app.get_auth("/api/v1/documents?kind=pension", &anna.token)
            .await,
    )
    .await;
    assert_eq!(only.as_array().unwrap().len(), 1);
    assert_eq!(only[0]["agency"], "Социальный фонд России");
    let none = json_of(
        app.get_auth("/api/v1/documents?from=2026-11-25", &anna.token)
            .await,
    )
    .await;
    assert_eq!(none, json!([]));
    let r = app
        .get_auth("/api/v1/documents?kind=horoscope", &anna.token)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .get_auth(&format!("/api/v1/documents/{id}/file"), &stranger.token)
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let pdf = bytes_of(&app, &format!("/api/v1/documents/{id}/file"), &anna.token).await;
    let sig = bytes_of(
        &app,
        &format!("/api/v1/documents/{id}/signature"),
        &anna.token,
    )
    .await;
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(sep_platform::blobs::digest(&pdf), income["sha256"]);
    let verify_url = income["verify_url"].as_str().unwrap();
    if tools_present(&PDF_TOOLS) {
        let text = pdf_text(&pdf);
        for expected in [
            "Справка о доходах и суммах налога физического лица",
            "за 2025 год",
            "Петрова Анна Сергеевна",
            INN,
            income["number"].as_str().unwrap(),
            "Налоговый агент",
            "Сумма налога удержанная",
            "ДОКУМЕНТ ПОДПИСАН",
            "ЭЛЕКТРОННОЙ ПОДПИСЬЮ",
            "Владелец: ФНС России",
            "Проверить подлинность",
        ] {
            assert!(text.contains(expected), "«{expected}» missing in:\n{text}");
        }
        assert_eq!(pdf_qr_codes(&pdf), vec![verify_url.to_string()]);
    }
    if tools_present(&["/usr/bin/openssl"]) {
        let ca = app
            .get("/api/v1/signatures/ca.pem")
            .await
            .text()
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        assert!(openssl_verifies(
            dir.path(),
            app.platform.now(),
            &pdf,
            &sig,
            &ca
        ));
        let mut altered = pdf.clone();
        let at = altered.len() / 2;
        altered[at] ^= 0x20;
        assert!(!openssl_verifies(
            dir.path(),
            app.platform.now(),
            &altered,
            &sig,
            &ca
        ));
    }

    // The public check: by file, by digest, by the QR's address.
    let token = verify_url.rsplit('/').next().unwrap();
    let checked = check_file(&app, pdf.clone(), None).await;
    assert_eq!(checked["verdict"], "authentic", "{checked}");
    assert_eq!(checked["document"]["holder"], "П****** А. С.");
    assert_eq!(checked["document"]["agency"], "ФНС России");
    assert_eq!(checked["signature"]["valid"], true);
    assert_eq!(checked["signature"]["agency"], "fns");
    assert!(
        !checked.to_string().contains("Петрова"),
        "no personal data: {checked}"
    );
    // One changed character of the text (the digits of the income): altered,
    // recognised by the link the file still carries.
    let mut altered = pdf.clone();
    let at = altered.len() / 2;
    altered[at] ^= 0x01;
    assert_eq!(
        check_file(&app, altered.clone(), None).await["verdict"],
        "altered"
    );
    assert_eq!(
        check_file(&app, altered, Some(token)).await["verdict"],
        "altered"
    );
    let other = bytes_of(
        &app,
        &format!("/api/v1/documents/{}/file", docs[1]["id"].as_str().unwrap()),
        &anna.token,
    )
    .await;
    assert_eq!(
        check_file(&app, other, Some(token)).await["verdict"],
        "altered",
        "another genuine document is not this one"
    );
    let unknown = check_file(&app, b"%PDF-1.7 something else".to_vec(), None).await;
    assert_eq!(unknown["verdict"], "unknown");
    assert!(unknown.get("document").is_none());

    let by_sha = json_of(
        app.post("/api/v1/verify", json!({ "sha256": income["sha256"] }))
            .await,
    )
    .await;
    assert_eq!(by_sha["verdict"], "authentic");
    let by_gost = json_of(
        app.post(
            "/api/v1/verify",
            json!({ "streebog256": income["streebog256"].as_str().unwrap().to_uppercase() }),
        )
        .await,
    )
    .await;
    assert_eq!(by_gost["verdict"], "authentic");
    let r = app.post("/api/v1/verify", json!({ "sha256": "abc" })).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(r).await["errors"][0]["field"], "sha256");
    let page = app.get_json(&format!("/api/v1/verify/{token}")).await;
    assert_eq!(page["verdict"], "authentic");
    assert_eq!(page["document"]["number"], income["number"]);
    let r = app.get(&format!("/api/v1/verify/{}", "0".repeat(32))).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Revocation: administrators only, a reason required; then every check says so.
    let revoke = format!("/api/v1/documents/{id}/revoke");
    let r = app
        .post_auth(&revoke, &anna.token, json!({ "reason": "ошибка в сумме" }))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, admin) = app
        .user_with_role(sep_identity::model::Role::Admin, "+79161240009")
        .await;
    let r = app
        .post_auth(&revoke, &admin, json!({ "reason": "ой" }))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(r).await["errors"][0]["field"], "reason");
    let r = app
        .post_auth(
            &revoke,
            &admin,
            json!({ "reason": "Ошибка в сумме дохода за март" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .post_auth(
            &revoke,
            &admin,
            json!({ "reason": "Ещё раз, на всякий случай" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let revoked = check_file(&app, pdf.clone(), None).await;
    assert_eq!(revoked["verdict"], "revoked");
    assert_eq!(
        revoked["document"]["revoked_reason"],
        "Ошибка в сумме дохода за март"
    );

    // Every check is in the audit journal, whoever asked.
    assert_eq!(
        count(&app, "audit_events WHERE action = 'documents.verify'").await,
        "9"
    );
    let verdicts = app
        .raw_text("SELECT details FROM audit_events WHERE action = 'documents.verify' ORDER BY seq")
        .await;
    assert!(verdicts[0].as_deref().unwrap().contains("\"authentic\""));
    assert!(verdicts[8].as_deref().unwrap().contains("\"revoked\""));
}

#[tokio::test]
async fn documents_go_by_email_and_by_post() {
    let app = issuing_app().await;
    let anna = holder(&app, "+79161240004", AssuranceLevel::Standard).await;
    let ordered = json_of(order(&app, &anna.token, &["registration"]).await).await;
    let doc = &ordered["documents"][0];
    let id = doc["id"].as_str().unwrap();
    let pdf = bytes_of(&app, &format!("/api/v1/documents/{id}/file"), &anna.token).await;
    let notices = app
        .get_auth_json("/api/v1/notifications", &anna.token)
        .await;
    assert!(
        notices.to_string().contains(&format!(
            "Документ готов: Справка о регистрации по месту жительства № {}",
            doc["number"].as_str().unwrap()
        )),
        "{notices}"
    );

    let r = app
        .post_auth(
            &format!("/api/v1/documents/{id}/email"),
            &anna.token,
            json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(json_of(r).await["sent_to"], "79***@example.ru");
    app.platform.deliver_all_messages().await;
    let mailed = app.mail_attachments("79161240004@example.ru");
    let (subject, name, bytes) = mailed
        .iter()
        .find(|(s, _, _)| s.contains("регистрации"))
        .expect("the document was mailed");
    assert!(
        subject.contains(doc["number"].as_str().unwrap()),
        "{subject}"
    );
    assert!(name.ends_with(".pdf"));
    assert_eq!(bytes, &pdf, "the mailed file is the issued one");

    let postal = format!("/api/v1/documents/{id}/postal");
    let r = app
        .post_auth(
            &postal,
            &anna.token,
            json!({ "postcode": "1010", "region_code": "00", "delivery_address": "М" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    let fields = error_fields(&problem);
    assert_eq!(fields, ["postcode", "region_code", "delivery_address"]);
    assert_eq!(count(&app, "postal_orders").await, "0");
    let mut good = json!({
        "postcode": "190000", "region_code": "78",
        "delivery_address": "г. Санкт-Петербург, Невский пр., д. 10, кв. 5"
    });
    // A session alone does not send a copy to any address: the password too.
    for (typed, rule) in [("", "required"), ("Wrong-Password-1", "password-wrong")] {
        good["password"] = json!(typed);
        let r = app.post_auth(&postal, &anna.token, good.clone()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem = json_of(r).await;
        assert_eq!(problem["errors"][0]["field"], "password");
        assert_eq!(problem["errors"][0]["code"], rule);
    }
    assert_eq!(count(&app, "postal_orders").await, "0");
    good["password"] = json!(PASSWORD);
    let r = app.post_auth(&postal, &anna.token, good.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(json_of(r).await["postal"]["state"], "requested");
    let r = app.post_auth(&postal, &anna.token, good).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        json_of(r).await["errors"][0]["code"],
        "postal-already-ordered"
    );
    // The address is kept sealed.
    let stored = app.raw_text("SELECT delivery FROM postal_orders").await;
    assert!(!stored[0].as_deref().unwrap().contains("Невский"));

    // The post office's side: staff see the dispatch list and record progress.
    let r = app
        .get_auth("/api/v1/admin/postal-orders", &anna.token)
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, support) = app
        .user_with_role(sep_identity::model::Role::Support, "+79161240010")
        .await;
    let list = app
        .get_auth_json("/api/v1/admin/postal-orders?state=requested", &support)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        list[0]["delivery_address"],
        "г. Санкт-Петербург, Невский пр., д. 10, кв. 5"
    );
    let order_id = list[0]["id"].as_str().unwrap().to_string();
    let mark = format!("/api/v1/admin/postal-orders/{order_id}");
    let r = app
        .post_auth(&mark, &support, json!({ "state": "delivered" }))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        json_of(r).await["detail"],
        "Нельзя перевести доставку из «Доставка почтой заказана» в «Доставлен»"
    );
    let r = app
        .post_auth(&mark, &support, json!({ "state": "sent" }))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let mine = app
        .get_auth_json(&format!("/api/v1/documents/{id}"), &anna.token)
        .await;
    assert_eq!(mine["postal"]["state"], "sent");
    let notices = app
        .get_auth_json("/api/v1/notifications", &anna.token)
        .await;
    assert!(
        notices.to_string().contains("Отправлен почтой"),
        "{notices}"
    );
    let out = app.cli(&["documents", "postal", "--state", "sent"]).await;
    let listed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        listed.contains(&order_id) && listed.contains("Невский"),
        "{listed}"
    );
    let out = app
        .cli(&["documents", "postal-mark", &order_id, "delivered"])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mine = app
        .get_auth_json(&format!("/api/v1/documents/{id}"), &anna.token)
        .await;
    assert_eq!(mine["postal"]["state"], "delivered");
}

#[tokio::test]
async fn a_decision_on_an_application_becomes_the_agency_s_signed_document() {
    let app = issuing_app().await;
    let p = &app.platform;
    let anna = holder(&app, "+79161240005", AssuranceLevel::Standard).await;
    let officer = app.officer_in("+79161240006", "fns-77").await;
    let r = app
        .submit(&anna.token, "decision-1", &tax_statement("500100732259"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let application = json_of(r).await;
    let id = application["id"].as_str().unwrap();
    assert_eq!(
        app.act(&officer.token, id, "take", "").await.status(),
        StatusCode::OK
    );
    let r = app
        .act(
            &officer.token,
            id,
            "refuse",
            "Сведения о задолженности уже направлены вам 18.11.2026",
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // Issued by the watcher as soon as the decision commits; the sweep's
    // pass over pending documents covers a lost one.
    sep_documents::service::issue_pending(p, chrono::Duration::zero())
        .await
        .unwrap();
    let docs = json_of(
        app.get_auth("/api/v1/documents?kind=decision", &anna.token)
            .await,
    )
    .await;
    assert_eq!(docs.as_array().unwrap().len(), 1, "{docs}");
    let d = &docs[0];
    assert_eq!(d["state"], "issued");
    assert_eq!(d["agency"], "ФНС России");
    assert_eq!(d["application_id"], id);
    let pdf = bytes_of(
        &app,
        &format!("/api/v1/documents/{}/file", d["id"].as_str().unwrap()),
        &anna.token,
    )
    .await;
    if tools_present(&PDF_TOOLS) {
        let text = pdf_text(&pdf);
        for expected in [
            "Решение по заявлению",
            application["number"].as_str().unwrap(),
            "отказано",
            "Основание отказа",
            "Сведения о задолженности уже направлены вам 18.11.2026",
        ] {
            assert!(text.contains(expected), "«{expected}» missing in:\n{text}");
        }
    }
    assert_eq!(check_file(&app, pdf, None).await["verdict"], "authentic");
}

fn output_text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn operators_check_revoke_and_keep_the_trust_list_from_the_command_line() {
    let app = issuing_app().await;
    let anna = holder(&app, "+79161240007", AssuranceLevel::Standard).await;
    let ordered = json_of(order(&app, &anna.token, &["pension"]).await).await;
    let doc = &ordered["documents"][0];
    let number = doc["number"].as_str().unwrap();
    let pdf = bytes_of(
        &app,
        &format!("/api/v1/documents/{}/file", doc["id"].as_str().unwrap()),
        &anna.token,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pension.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let path = file.to_str().unwrap();

    let out = app.cli(&["documents", "verify", path]).await;
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(output_text(&out).contains("authentic: Документ подлинный"));
    assert!(output_text(&out).contains(number));
    let mut altered = pdf.clone();
    let at = altered.len() / 2;
    altered[at] ^= 0x02;
    std::fs::write(&file, &altered).unwrap();
    let out = app.cli(&["documents", "verify", path]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(output_text(&out).contains("altered: Файл изменён"));

    let out = app
        .cli(&["documents", "revoke", number, "--reason", "ой"])
        .await;
    assert!(!out.status.success());
    assert!(
        output_text(&out).contains("Причина: укажите причину, хотя бы 5 знаков"),
        "{}",
        output_text(&out)
    );
    let out = app
        .cli(&[
            "documents",
            "revoke",
            number,
            "--reason",
            "Выдана по ошибке",
        ])
        .await;
    assert!(out.status.success(), "{}", output_text(&out));
    std::fs::write(&file, &pdf).unwrap();
    let out = app.cli(&["documents", "verify", path]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(output_text(&out).contains("revoked: Документ отозван"));
    let out = app
        .cli(&[
            "documents",
            "revoke",
            number,
            "--reason",
            "Ещё раз, на всякий",
        ])
        .await;
    assert!(output_text(&out).contains(&format!("Документ № {number} уже отозван")));

    let out = app.cli(&["trust-list", "list"]).await;
    assert!(output_text(&out).contains(sep_signatures::service::DEMO_CA));
    let leaf = dir.path().join("leaf.pem");
    let now = app.platform.now();
    let ca = sep_pki::pki::demo_ca("УЦ", now, 1).unwrap();
    let person = sep_pki::pki::issue_person(
        &ca,
        "Петрова Анна Сергеевна",
        None,
        now,
        now + chrono::Duration::days(9),
    )
    .unwrap();
    std::fs::write(&leaf, person.cert_pem()).unwrap();
    let out = app
        .cli(&[
            "trust-list",
            "add",
            leaf.to_str().unwrap(),
            "--name",
            "Не УЦ",
        ])
        .await;
    assert!(!out.status.success());
    assert!(
        output_text(&out).contains("Сертификат: это не сертификат удостоверяющего центра"),
        "{}",
        output_text(&out)
    );
}

#[tokio::test]
async fn documents_speak_xml_and_refuse_in_english_when_asked() {
    let app = issuing_app().await;
    let anna = holder(&app, "+79161240008", AssuranceLevel::Standard).await;
    let xml = |path: &str, body: &str| {
        app.http
            .post(app.url(path))
            .bearer_auth(&anna.token)
            .header("content-type", "application/xml")
            .header("accept", "application/xml")
            .header("accept-language", "en")
            .body(body.to_string())
            .send()
    };
    let r = xml(
        "/api/v1/documents/orders",
        "<order><kinds><item>pension</item><item>horoscope</item></kinds></order>",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(text.contains("<field>kinds[1]</field>"), "{text}");
    assert!(
        text.contains("there is no such certificate in the list"),
        "{text}"
    );
    let r = xml(
        "/api/v1/documents/orders",
        "<order><kinds><item>medical-insurance</item></kinds></order>",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let text = r.text().await.unwrap();
    assert!(text.contains("<state>issued</state>"), "{text}");
    assert!(text.contains("<agency>ФОМС</agency>"), "{text}");
    let sha = text
        .split("<sha256>")
        .nth(1)
        .and_then(|t| t.split("</sha256>").next())
        .unwrap()
        .to_string();
    let r = xml(
        "/api/v1/verify",
        &format!("<check><sha256>{sha}</sha256></check>"),
    )
    .await
    .unwrap();
    let text = r.text().await.unwrap();
    assert!(text.contains("<verdict>authentic</verdict>"), "{text}");
    assert!(text.contains("<holder>П****** А. С.</holder>"), "{text}");
}
