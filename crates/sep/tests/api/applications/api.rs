//! The application lifecycle through the API: submission (idempotent, also
//! under a race), every refusal, the officer's side, attachments and drafts.

use crate::helpers::*;
use reqwest::StatusCode;
use sep_identity::model::AssuranceLevel;
use serde_json::{Value, json};

pub const SNILS: &str = "112-233-445 95";

/// An application for the tax debt statement, with `inn`.
pub fn tax_statement(inn: &str) -> Value {
    json!({
        "service": "tax-debt-statement",
        "answers": {
            "full_name": "Петрова Анна Сергеевна",
            "birth_date": "05.03.1985",
            "snils": SNILS,
            "phone": "+7 916 555-12-34",
            "inn": inn,
            "as_of": "2026-11-20"
        }
    })
}

async fn count(app: &TestApp, table: &str) -> String {
    app.raw_text(&format!("SELECT CAST(COUNT(*) AS TEXT) AS n FROM {table}"))
        .await[0]
        .clone()
        .unwrap()
}

#[tokio::test]
async fn a_wrong_inn_is_refused_with_the_field_named_and_nothing_is_stored() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Standard, SNILS)
        .await;
    let r = app
        .submit(&anna.token, "k-1", &tax_statement("500100732258"))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    assert_eq!(problem["errors"][0]["field"], "inn");
    assert_eq!(problem["errors"][0]["code"], "inn-checksum");
    assert_eq!(
        problem["errors"][0]["message"],
        "ИНН: контрольное число не сходится"
    );
    assert_eq!(count(&app, "applications").await, "0");
    assert_eq!(count(&app, "idempotency_keys").await, "0");
    assert_eq!(
        count(&app, "application_counters").await,
        "0",
        "no number was used up"
    );
    // The key was not spent on the refusal: the corrected form goes through with it.
    let r = app
        .submit(&anna.token, "k-1", &tax_statement("500100732259"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_whole_lifecycle_with_every_refusal() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Standard, SNILS)
        .await;
    let boris = app
        .applicant("+79161230002", AssuranceLevel::Standard, "")
        .await;
    let officer = app.officer_in("+79161230003", "fns-77").await;
    let colleague = app.officer_in("+79161230004", "fns-77").await;
    let stranger = app.officer_in("+79161230005", "fns-78").await;

    let r = app
        .submit(&anna.token, "key-1", &tax_statement("500100732259"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let a = json_of(r).await;
    let id = a["id"].as_str().unwrap().to_string();
    let number = a["number"].as_str().unwrap();
    assert!(
        number.len() == 13 && number.starts_with("2026-00000") && number.as_bytes()[11] == b'-',
        "{number}"
    );
    assert_eq!(
        a["state"], "accepted",
        "the answer does not wait for routing"
    );
    assert_eq!(a["history"].as_array().map(Vec::len), Some(1), "{a}");
    let a = app.until_state(&anna.token, &id, "routed").await;
    assert_eq!(
        a["department"], "fns-77",
        "Moscow profile → Moscow department"
    );
    // 10 working days from Tuesday 24 November 2026.
    assert_eq!(a["due_on"], "2026-12-08");
    assert_eq!(a["answers"]["phone"], "+79165551234", "stored normalised");
    let steps = steps_of(&a);
    assert_eq!(steps, ["accepted", "checking", "routed"]);
    assert_eq!(a["actions"], json!(["withdraw"]));

    // A retry with the same key and body is the same application; another body is refused.
    let r = app
        .submit(&anna.token, "key-1", &tax_statement("500100732259"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(json_of(r).await["id"], id.as_str());
    let r = app
        .submit(&anna.token, "key-1", &tax_statement("7707083893"))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(r).await["code"], "idempotency-key-reused");
    let r = app
        .http
        .post(app.url("/api/v1/applications"))
        .bearer_auth(&anna.token)
        .json(&tax_statement("500100732259"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "no key, no submission");

    // Who may see it.
    let r = app
        .get_auth(&format!("/api/v1/applications/{id}"), &boris.token)
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .get_auth(&format!("/api/v1/applications/{id}"), &stranger.token)
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.act(&stranger.token, &id, "take", "").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let queue = json_of(app.get_auth("/api/v1/officer/queue", &stranger.token).await).await;
    assert_eq!(queue, json!([]));
    let queue = json_of(app.get_auth("/api/v1/officer/queue", &officer.token).await).await;
    assert_eq!(queue[0]["id"], id.as_str());
    let r = app.get_auth("/api/v1/officer/queue", &anna.token).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Every impossible move is a 409 that says why.
    let r = app.act(&anna.token, &id, "approve", "").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let problem = json_of(r).await;
    assert_eq!(problem["code"], "transition-not-allowed");
    assert_eq!(
        problem["detail"],
        "Нельзя одобрить: заявление в состоянии «Направлено в ведомство»"
    );
    let r = app.act(&officer.token, &id, "approve", "").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(r).await["code"], "transition-not-allowed");
    let r = app.act(&officer.token, &id, "take", "").await;
    assert_eq!(r.status(), StatusCode::OK);
    let a = json_of(r).await;
    assert_eq!(a["state"], "in_review");
    assert_eq!(a["assignee_id"], officer.id.to_string());
    let r = app.act(&colleague.token, &id, "approve", "").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(r).await["code"], "not-assignee");
    let r = app.act(&anna.token, &id, "approve", "").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(r).await["code"], "transition-not-yours");
    let r = app.act(&officer.token, &id, "request_info", "  ").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(r).await["code"], "comment-required");
    let r = app.act(&officer.token, &id, "fly_away", "").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // More data asked and given, then the decision.
    let r = app
        .act(
            &officer.token,
            &id,
            "request_info",
            "Приложите справку 2-НДФЛ",
        )
        .await;
    assert_eq!(json_of(r).await["state"], "needs_info");
    let mine = json_of(app.get_auth("/api/v1/applications", &anna.token).await).await;
    assert_eq!(mine[0]["state"], "needs_info");
    let r = app
        .act(
            &anna.token,
            &id,
            "provide_info",
            "Справка отправлена почтой",
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.act(&officer.token, &id, "approve", "").await;
    assert_eq!(r.status(), StatusCode::OK);
    let a = json_of(r).await;
    assert_eq!(a["state"], "approved");
    assert!(a["decided_at"].is_string());
    let r = app
        .http
        .post(app.url(&format!("/api/v1/applications/{id}/actions")))
        .bearer_auth(&officer.token)
        .header("accept-language", "en")
        .json(&json!({ "action": "approve" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        json_of(r).await["detail"],
        "Cannot approve: the application is “Approved”"
    );
    let r = app.act(&anna.token, &id, "withdraw", "").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = app.act(&officer.token, &id, "complete", "").await;
    assert_eq!(json_of(r).await["state"], "completed");

    // The public journal, as the applicant sees it.
    let a = json_of(
        app.get_auth(
            &format!("/api/v1/applications/by-number/{number}"),
            &anna.token,
        )
        .await,
    )
    .await;
    let journal: Vec<(String, String, Value)> = a["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["actor"].as_str().unwrap().to_string(),
                h["action"].as_str().unwrap().to_string(),
                h["comment"].clone(),
            )
        })
        .collect();
    assert_eq!(
        journal,
        vec![
            ("applicant".into(), "submit".into(), Value::Null),
            ("system".into(), "begin_check".into(), Value::Null),
            ("system".into(), "route".into(), Value::Null),
            ("officer".into(), "take".into(), Value::Null),
            (
                "officer".into(),
                "request_info".into(),
                json!("Приложите справку 2-НДФЛ")
            ),
            (
                "applicant".into(),
                "provide_info".into(),
                json!("Справка отправлена почтой")
            ),
            ("officer".into(), "approve".into(), Value::Null),
            ("officer".into(), "complete".into(), Value::Null),
        ]
    );
    assert_eq!(a["actions"], json!([]));
    let bad = app
        .get_auth("/api/v1/applications/by-number/2026-000001-0", &anna.token)
        .await;
    assert_eq!(
        bad.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "check digit"
    );
    // Each transition left its audit record.
    let audited = app
        .raw_text("SELECT action FROM audit_events WHERE object_type = 'application' ORDER BY seq")
        .await;
    assert_eq!(audited.len(), 8);
}

#[tokio::test]
async fn fifty_concurrent_retries_make_exactly_one_application() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Standard, SNILS)
        .await;
    let body = tax_statement("500100732259");
    let tries = (0..50).map(|_| app.submit(&anna.token, "same-key", &body));
    let responses = futures::future::join_all(tries).await;
    let mut created = 0;
    let mut ids = Vec::new();
    for r in responses {
        match r.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}"),
        }
        ids.push(json_of(r).await["id"].as_str().unwrap().to_string());
    }
    ids.dedup();
    assert_eq!(created, 1);
    assert_eq!(ids.len(), 1, "every retry saw the same application");
    assert_eq!(count(&app, "applications").await, "1");
}

#[tokio::test]
async fn the_account_level_gates_a_service() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Simplified, SNILS)
        .await;
    let r = app
        .submit(&anna.token, "k", &tax_statement("500100732259"))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let problem = json_of(r).await;
    assert_eq!(problem["code"], "level-too-low");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("«Стандартная»"),
        "{problem}"
    );
    assert_eq!(count(&app, "applications").await, "0");
}

#[tokio::test]
async fn attachments_are_checked_by_content_and_read_only_by_those_concerned() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Confirmed, SNILS)
        .await;
    let boris = app
        .applicant("+79161230002", AssuranceLevel::Confirmed, "")
        .await;
    let officer = app.officer_in("+79161230003", "fns-77").await;

    let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let r = app.upload(&anna.token, "договор.pdf", pdf.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let file = json_of(r).await;
    assert_eq!(file["media_type"], "application/pdf");
    assert_eq!(file["file_name"], "договор.pdf");
    let r = app
        .upload(&anna.token, "scan.pdf", b"MZ\x90\x00 not a pdf".to_vec())
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(r).await["errors"][0]["code"], "file-type");
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b'0');
    let r = app.upload(&anna.token, "big.pdf", big).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(r).await["errors"][0]["code"], "file-too-large");
    let on_disk = std::fs::read_dir(app.data_dir.join("blobs"))
        .unwrap()
        .count();
    assert_eq!(on_disk, 1, "only the accepted file is stored");

    let boris_file = json_of(
        app.upload(&boris.token, "his.png", b"\x89PNG\r\n\x1a\nxx".to_vec())
            .await,
    )
    .await;
    let answers = |contract: &Value| {
        json!({
            "service": "tax-deduction-property",
            "answers": {
                "full_name": "Петрова Анна Сергеевна", "birth_date": "1985-03-05",
                "snils": SNILS, "phone": "89165551234", "inn": "500100732259",
                "year": "2025", "amount": "4 500 000", "bank_account": "40817810099910004312",
                "contract": contract
            }
        })
    };
    let r = app
        .submit(&anna.token, "a", &answers(&boris_file["id"]))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    assert_eq!(problem["errors"][0]["field"], "contract");
    assert_eq!(problem["errors"][0]["code"], "file-unknown");
    let r = app.submit(&anna.token, "b", &answers(&file["id"])).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let a = json_of(r).await;
    assert_eq!(
        a["files"][0]["field"], "contract",
        "the answer names its file"
    );
    let a = app
        .until_state(&anna.token, a["id"].as_str().unwrap(), "routed")
        .await;
    // The check found the file intact.
    assert_eq!(a["files"][0]["field"], "contract");

    let path = format!("/api/v1/attachments/{}", file["id"].as_str().unwrap());
    let r = app.get_auth(&path, &officer.token).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    let r = app.get_auth(&path, &boris.token).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn drafts_keep_what_was_typed_and_forms_start_from_the_profile() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Standard, SNILS)
        .await;
    let start = json_of(
        app.get_auth("/api/v1/drafts/tax-debt-statement", &anna.token)
            .await,
    )
    .await;
    assert_eq!(start["from_draft"], false);
    assert_eq!(start["answers"]["full_name"], "Петрова Анна Сергеевна");
    assert_eq!(start["answers"]["snils"], SNILS);
    assert_eq!(start["answers"]["phone"], anna.phone.as_str());

    let r = app
        .put_auth(
            "/api/v1/drafts/tax-debt-statement",
            &anna.token,
            json!({ "answers": { "inn": "500100732258", "full_name": "Петрова А. С." } }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let saved = json_of(r).await;
    assert_eq!(saved["errors"][0]["field"], "inn");
    let start = json_of(
        app.get_auth("/api/v1/drafts/tax-debt-statement", &anna.token)
            .await,
    )
    .await;
    assert_eq!(start["from_draft"], true);
    assert_eq!(start["answers"]["inn"], "500100732258", "kept as typed");
    let stored = app.raw_text("SELECT answers FROM drafts").await;
    assert!(
        !stored[0].as_ref().unwrap().contains("500100732258"),
        "sealed at rest"
    );

    let r = app
        .submit(&anna.token, "k", &tax_statement("500100732259"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let drafts = json_of(app.get_auth("/api/v1/drafts", &anna.token).await).await;
    assert_eq!(drafts, json!([]), "the submission used the draft up");
}

#[tokio::test]
async fn xml_in_and_out() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Simplified, SNILS)
        .await;
    let xml = "<application><service>egrn-extract</service><answers>\
        <full_name>Петрова Анна Сергеевна</full_name><phone>+79165551234</phone>\
        <cadastral_number>77:01:0001001:1234</cadastral_number></answers></application>";
    let r = app
        .http
        .post(app.url("/api/v1/applications"))
        .bearer_auth(&anna.token)
        .header("idempotency-key", "xml-1")
        .header("content-type", "application/xml")
        .header("accept", "application/xml")
        .body(xml)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body = r.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body.contains("<state>accepted</state>"), "{body}");
    let id = body
        .split_once("<id>")
        .and_then(|(_, rest)| rest.split_once("</id>"))
        .map(|(id, _)| id.to_string())
        .unwrap_or_else(|| panic!("no id: {body}"));
    app.settle().await;
    let read = app
        .http
        .get(app.url(&format!("/api/v1/applications/{id}")))
        .bearer_auth(&anna.token)
        .header("accept", "application/xml");
    let body = read.send().await.unwrap().text().await.unwrap();
    assert!(body.contains("<state>awaiting_payment</state>"), "{body}");
    assert!(body.contains("<fee_uin>0355"), "{body}");
    let id = body
        .split("<id>")
        .nth(1)
        .and_then(|s| s.split("</id>").next())
        .unwrap();
    let a = app.pay_fee(&anna, id).await;
    assert_eq!(a["department"], "rosreestr-77");
    let bad = xml.replace("77:01:0001001:1234", "не номер");
    let r = app
        .http
        .post(app.url("/api/v1/applications"))
        .bearer_auth(&anna.token)
        .header("idempotency-key", "xml-2")
        .header("content-type", "application/xml")
        .header("accept", "application/xml")
        .body(bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("<field>cadastral_number</field>"), "{body}");
    assert!(
        body.contains("Кадастровый номер: не соответствует формату"),
        "{body}"
    );
}

#[tokio::test]
async fn a_service_added_through_the_api_can_be_applied_for_at_once() {
    let app = TestApp::with_catalog().await;
    let (_, admin) = app
        .user_with_role(sep_identity::model::Role::Admin, "+79161230009")
        .await;
    let r = app
        .post_auth(
            "/api/v1/admin/services",
            &admin,
            json!({
                "code": "fishing-permit", "category": "property", "agency": "rosreestr",
                "title": { "ru": "Разрешение на любительскую рыбалку" },
                "deadline_days": 5, "level": "simplified",
                "form": { "fields": [
                    { "name": "inn", "type": "inn", "label": { "ru": "ИНН" }, "required": true },
                    { "name": "lake", "type": "select", "label": { "ru": "Водоём" }, "required": true,
                      "options": [{ "value": "seliger", "label": { "ru": "Селигер" } }] }
                ]},
                "routes": [{ "department": "rosreestr-77" }, { "region_code": "78", "department": "rosreestr-78" }]
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Simplified, SNILS)
        .await;
    let body = json!({ "service": "fishing-permit", "region_code": "78",
                       "answers": { "inn": "7707083893", "lake": "seliger" } });
    let r = app.submit(&anna.token, "fish", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = json_of(r).await["id"].as_str().unwrap().to_string();
    let a = app.until_state(&anna.token, &id, "routed").await;
    assert_eq!(
        a["department"], "rosreestr-78",
        "routed by the region given"
    );
}

#[tokio::test]
async fn an_overdue_application_is_escalated_when_the_clock_passes_its_deadline() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Standard, SNILS)
        .await;
    let officer = app.officer_in("+79161230003", "fns-77").await;
    let a = json_of(
        app.submit(&anna.token, "k", &tax_statement("500100732259"))
            .await,
    )
    .await;
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(a["due_on"], "2026-12-08");
    // Another, due sooner (1 December) but decided at once: it stays normal.
    let inn = json!({ "service": "inn-certificate", "answers": {
        "full_name": "Петрова Анна Сергеевна", "birth_date": "05.03.1985", "snils": SNILS,
        "phone": "+79165551234", "passport": "45 08 123456",
        "address": { "postcode": "101000", "region_code": "77", "line": "г. Москва, ул. Тверская, д. 1" } } });
    let b = json_of(app.submit(&anna.token, "k2", &inn).await).await;
    assert_eq!(b["due_on"], "2026-12-01");
    let decided = b["id"].as_str().unwrap().to_string();
    app.act(&officer.token, &decided, "take", "").await;
    assert_eq!(
        app.act(&officer.token, &decided, "approve", "")
            .await
            .status(),
        StatusCode::OK
    );

    // Friday 4 December: eight working days on, not yet due.
    app.clock.advance(chrono::Duration::days(10));
    assert_eq!(
        sep_applications::service::check_deadlines(&app.platform)
            .await
            .unwrap(),
        0
    );
    // Tuesday 8 December is the last day; Wednesday the 9th it is overdue.
    app.clock.advance(chrono::Duration::days(4));
    assert_eq!(
        sep_applications::service::check_deadlines(&app.platform)
            .await
            .unwrap(),
        0
    );
    app.clock.advance(chrono::Duration::days(1));
    assert_eq!(
        sep_applications::service::check_deadlines(&app.platform)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        sep_applications::service::check_deadlines(&app.platform)
            .await
            .unwrap(),
        0,
        "escalated once"
    );

    // Two weeks on, both sessions have long ended: log in again.
    let officer_token = app.login(&officer.phone, &officer.phone, PASSWORD).await;
    let anna_token = app.login(&anna.phone, &anna.phone, PASSWORD).await;
    let queue = json_of(
        app.get_auth("/api/v1/officer/queue?overdue=true", &officer_token)
            .await,
    )
    .await;
    assert_eq!(queue[0]["id"], id.as_str());
    assert_eq!(queue[0]["overdue"], true);
    assert_eq!(queue[0]["priority"], "urgent");
    // Urgent sorts first, ahead of one with an earlier due day.
    let all = json_of(app.get_auth("/api/v1/officer/queue", &officer_token).await).await;
    let order: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [id.as_str(), decided.as_str()]);
    let a = json_of(
        app.get_auth(&format!("/api/v1/applications/{id}"), &anna_token)
            .await,
    )
    .await;
    let last = a["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "escalate");
    assert_eq!(last["actor"], "system");
    assert_eq!(a["state"], "routed", "escalation does not change the state");
    let notices = json_of(app.get_auth("/api/v1/notifications", &officer_token).await).await;
    assert_eq!(notices[0]["kind"], "deadline_overdue");
    assert_eq!(
        notices[0]["title"],
        format!(
            "Просрочен срок рассмотрения заявления {}",
            a["number"].as_str().unwrap()
        )
    );
}

/// A state or level the code does not know, found in the database, fails the
/// request loudly: never shown as another state, never opening a service.
#[tokio::test]
async fn an_unknown_stored_state_or_level_is_an_error_not_a_default() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230091", AssuranceLevel::Standard, SNILS)
        .await;
    let r = app
        .submit(&anna.token, "key-unknown", &tax_statement("500100732259"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let a = json_of(r).await;
    let path = format!("/api/v1/applications/{}", a["id"].as_str().unwrap());
    assert_eq!(
        app.get_auth(&path, &anna.token).await.status(),
        StatusCode::OK
    );

    app.raw_text(&format!(
        "UPDATE applications SET state = 'lost' WHERE number = '{}'",
        a["number"].as_str().unwrap()
    ))
    .await;
    let r = app.get_auth(&path, &anna.token).await;
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json_of(r).await["code"], "internal");

    let service = "/api/v1/services/tax-debt-statement";
    assert_eq!(app.get_json(service).await["level"], "standard");
    app.raw_text("UPDATE services SET level = 'anyone' WHERE code = 'tax-debt-statement'")
        .await;
    let r = app.get(service).await;
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
}
