//! Charges (начисления): agencies post and cancel them, a person finds theirs
//! by the СНИЛС of their profile or a driver licence or СТС they added,
//! anyone looks one up by УИН.

use crate::helpers::*;
use reqwest::StatusCode;
use sep_identity::{model::AssuranceLevel, model::Role};
use sep_kernel::Uin;
use serde_json::{Value, json};

pub const SNILS: &str = "112-233-445 95";

pub fn fine(uin: &str) -> Value {
    json!({
        "uin": uin, "payer_snils": SNILS, "kind": "fine",
        "purpose": "Штраф ГИБДД по постановлению 18810177260000000001",
        "payee_name": "УФК по г. Москве (ГУ МВД России по г. Москве)",
        "payee_inn": "7707083893", "payee_kpp": "773601001",
        "payee_bik": "044525225", "payee_account": "30101810400000000225",
        "amount_kopecks": 150000,
        "discount_percent": 50, "discount_until": "2026-12-14"
    })
}

#[tokio::test]
async fn an_agency_posts_a_fine_and_the_citizen_sees_it_with_its_discount() {
    let app = TestApp::spawn().await;
    let anna = app
        .applicant("+79161250001", AssuranceLevel::Standard, SNILS)
        .await;
    let (_, officer) = app
        .agency_staff(Role::Officer, "+79161250002", "gibdd")
        .await;

    let r = app
        .post_auth("/api/v1/charges", &anna.token, fine("52601815908301661312"))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a citizen posts no charges"
    );

    let mut bad = fine("52601815908301661313");
    bad["payee_account"] = json!("30101810400000000226");
    bad["amount_kopecks"] = json!(-5);
    let r = app.post_auth("/api/v1/charges", &officer, bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    let fields = error_fields(&problem);
    assert_eq!(fields, ["uin", "payee_account", "amount_kopecks"]);
    assert_eq!(
        problem["errors"][0]["message"],
        "УИН: контрольный разряд УИН не сходится"
    );

    let r = app
        .post_auth("/api/v1/charges", &officer, fine("52601815908301661312"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = app
        .post_auth("/api/v1/charges", &officer, fine("52601815908301661312"))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(r).await["errors"][0]["code"], "uin-taken");

    let mine = json_of(app.get_auth("/api/v1/charges", &anna.token).await).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["uin"], "52601815908301661312");
    assert_eq!(mine[0]["amount_kopecks"], 150000);
    assert_eq!(
        mine[0]["amount_due_kopecks"], 75000,
        "half while the window is open"
    );
    let stored = app.raw_text("SELECT payer_snils FROM charges").await;
    assert!(
        !stored[0].as_ref().unwrap().contains("11223344595"),
        "sealed at rest"
    );

    // Anyone can look it up by УИН; after the window the full amount is due.
    app.clock.advance(chrono::Duration::days(21));
    let one = app.get_json("/api/v1/charges/52601815908301661312").await;
    assert_eq!(one["amount_due_kopecks"], 150000);
    assert!(one.get("payer_snils").is_none(), "the payer is not shown");
    let r = app.get("/api/v1/charges/52601815908301661313").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.get("/api/v1/charges/00000000000000000066").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_charge_is_cancelled_once_with_a_reason() {
    let app = TestApp::spawn().await;
    let (_, officer) = app
        .agency_staff(Role::Integrator, "+79161250003", "gibdd")
        .await;
    let r = app
        .post_auth("/api/v1/charges", &officer, fine("52601815908301661312"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let path = "/api/v1/charges/52601815908301661312/cancel";
    let r = app
        .post_auth(path, &officer, json!({ "reason": " " }))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_auth(
            path,
            &officer,
            json!({ "reason": "Постановление отменено судом" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(json_of(r).await["status"], "cancelled");
    let r = app
        .post_auth(path, &officer, json!({ "reason": "ещё раз" }))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        json_of(r).await["detail"],
        "Начисление нельзя отменить: оно «отменено»"
    );
}

#[tokio::test]
async fn fines_by_driver_licence_or_vehicle_certificate_appear_once_the_document_is_added() {
    let app = TestApp::spawn().await;
    let anna = app
        .applicant("+79161250011", AssuranceLevel::Standard, SNILS)
        .await;
    let (_, officer) = app
        .agency_staff(Role::Officer, "+79161250012", "gibdd")
        .await;
    let by = |uin: &str, key: &str, number: &str| {
        let mut f = fine(uin);
        f.as_object_mut().unwrap().remove("payer_snils");
        f[key] = json!(number);
        f
    };
    let by_licence = Uin::with_control_digit("1881017726000020001")
        .unwrap()
        .to_string();
    let by_vehicle = Uin::with_control_digit("1881017726000020002")
        .unwrap()
        .to_string();
    let someone_elses = Uin::with_control_digit("1881017726000020003")
        .unwrap()
        .to_string();
    for (uin, key, number) in [
        (&by_licence, "payer_driver_licence", "99 12 345678"),
        (&by_vehicle, "payer_vehicle_certificate", "77 YC 123456"),
        (&someone_elses, "payer_vehicle_certificate", "77 УС 654321"),
    ] {
        let r = app
            .post_auth("/api/v1/charges", &officer, by(uin, key, number))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);
    }
    let r = app
        .post_auth(
            "/api/v1/charges",
            &officer,
            by(
                "18810177260000200049",
                "payer_driver_licence",
                "99 12 34567",
            ),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    assert!(
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "payer_driver_licence" && e["code"] == "driver-licence-format"),
        "{problem}"
    );

    let uins = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["uin"].as_str().unwrap().to_string())
            .collect()
    };
    let mine = json_of(app.get_auth("/api/v1/charges", &anna.token).await).await;
    assert_eq!(uins(mine), Vec::<String>::new(), "nothing yet");

    // A mistyped СТС is refused by field, and nothing is added.
    let r = app
        .post_auth(
            "/api/v1/charges/documents",
            &anna.token,
            json!({ "kind": "vehicle_certificate", "number": "77 ЖЖ 123456" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    assert_eq!(problem["errors"][0]["field"], "number");
    assert_eq!(problem["errors"][0]["code"], "vehicle-certificate-format");
    let docs = json_of(app.get_auth("/api/v1/charges/documents", &anna.token).await).await;
    assert_eq!(docs, json!([]));

    for (kind, number) in [
        ("driver_licence", "9912345678"),
        ("vehicle_certificate", "77 ус 123456"),
    ] {
        let r = app
            .post_auth(
                "/api/v1/charges/documents",
                &anna.token,
                json!({ "kind": kind, "number": number }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let r = app
        .post_auth(
            "/api/v1/charges/documents",
            &anna.token,
            json!({ "kind": "vehicle_certificate", "number": "77УС123456" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "the same СТС twice");
    let docs = json_of(app.get_auth("/api/v1/charges/documents", &anna.token).await).await;
    assert_eq!(docs[1]["number"], "77 УС 123456", "shown as printed");

    let mut found = uins(json_of(app.get_auth("/api/v1/charges", &anna.token).await).await);
    found.sort();
    let mut expected = vec![by_licence.clone(), by_vehicle.clone()];
    expected.sort();
    assert_eq!(found, expected, "hers, and not the other car's");

    let id = docs[0]["id"].as_str().unwrap();
    let r = app
        .http
        .delete(app.url(&format!("/api/v1/charges/documents/{id}")))
        .bearer_auth(&anna.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let found = uins(json_of(app.get_auth("/api/v1/charges", &anna.token).await).await);
    assert_eq!(found, vec![by_vehicle]);
}

fn error_code(v: &Value) -> &str {
    v["errors"][0]["code"]
        .as_str()
        .or(v["code"].as_str())
        .unwrap_or_default()
}

#[tokio::test]
async fn agencies_post_with_their_own_payee_and_cancel_only_their_own_charges() {
    let app = TestApp::with_catalog().await;
    let (_, loose) = app.user_with_role(Role::Officer, "+79161250021").await;
    let (_, gibdd) = app
        .agency_staff(Role::Officer, "+79161250022", "gibdd")
        .await;
    let (_, fns) = app
        .agency_staff(Role::Integrator, "+79161250023", "fns")
        .await;

    // Staff of no agency post nothing.
    let r = app
        .post_auth("/api/v1/charges", &loose, fine("52601815908301661312"))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        json_of(r).await["detail"],
        "Учётная запись не закреплена за ведомством: начисления выставляют и отменяют только сотрудники и системы ведомства"
    );

    // Another payee than the agency's own is refused on the field.
    let r = app
        .post_auth("/api/v1/charges", &gibdd, fine("52601815908301661312"))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    assert_eq!(problem["errors"][0]["field"], "payee_account", "{problem}");
    assert_eq!(error_code(&problem), "payee-not-agency");

    // Left blank, the payee is the agency's from the catalogue.
    let mut blank = fine("52601815908301661312");
    for k in [
        "payee_name",
        "payee_inn",
        "payee_kpp",
        "payee_bik",
        "payee_account",
    ] {
        blank.as_object_mut().unwrap().remove(k);
    }
    let r = app.post_auth("/api/v1/charges", &gibdd, blank).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let posted = json_of(r).await;
    assert_eq!(
        posted["payee_name"],
        "УФК по г. Москве (Госавтоинспекция МВД России)"
    );
    assert_eq!(posted["payee_account"], "03100643500000017302");

    // The tax service cannot cancel the traffic police's fine, nor can loose staff.
    let path = "/api/v1/charges/52601815908301661312/cancel";
    let reason = json!({ "reason": "Ошибка" });
    let r = app.post_auth(path, &fns, reason.clone()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(&json_of(r).await), "charge-other-agency");
    let r = app.post_auth(path, &loose, reason.clone()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let c = app.get_json("/api/v1/charges/52601815908301661312").await;
    assert_eq!(c["status"], "unpaid", "nothing changed");
    let r = app.post_auth(path, &gibdd, reason).await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_state_fee_is_never_cancelled_by_hand() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161250031", AssuranceLevel::Standard, SNILS)
        .await;
    let body = json!({
        "service": "egrn-extract",
        "answers": {
            "full_name": "Петрова Анна Сергеевна", "phone": "+79161250031",
            "cadastral_number": "77:01:0001001:1234"
        }
    });
    let r = app.submit(&anna.token, "fee-cancel", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = json_of(r).await["id"].as_str().unwrap().to_string();
    let a = app.until_state(&anna.token, &id, "awaiting_payment").await;
    let uin = a["fee_uin"].as_str().unwrap().to_string();
    let (_, registry) = app
        .agency_staff(Role::Officer, "+79161250032", "rosreestr")
        .await;
    let r = app
        .post_auth(
            &format!("/api/v1/charges/{uin}/cancel"),
            &registry,
            json!({ "reason": "Отмена" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let problem = json_of(r).await;
    assert_eq!(error_code(&problem), "charge-state-fee", "{problem}");
    let c = app.get_json(&format!("/api/v1/charges/{uin}")).await;
    assert_eq!(c["status"], "unpaid");
}

#[tokio::test]
async fn administrators_give_staff_their_agency_by_api_and_command_line() {
    let app = TestApp::with_catalog().await;
    let (_, admin) = app.user_with_role(Role::Admin, "+79161250040").await;
    let (citizen_id, citizen) = app.user_with_role(Role::Citizen, "+79161250041").await;
    let (integrator, _) = app.user_with_role(Role::Integrator, "+79161250042").await;
    let path =
        |agency: &str, user: uuid::Uuid| format!("/api/v1/admin/agencies/{agency}/staff/{user}");

    let r = app
        .put_auth(&path("fns", integrator), &citizen, json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "only administrators");
    let r = app
        .put_auth(&path("nowhere", integrator), &admin, json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&json_of(r).await), "agency-unknown");
    let r = app
        .put_auth(&path("fns", citizen_id), &admin, json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&json_of(r).await), "user-not-staff");
    let r = app
        .put_auth(&path("fns", integrator), &admin, json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);

    // An officer in a department of МВД cannot be moved to the tax service.
    let officer = app.officer_in("+79161250043", "mvd-77").await;
    let r = app
        .put_auth(&path("fns", officer.id), &admin, json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&json_of(r).await), "officer-in-other-agency");
    // Nor put into another agency's department.
    let r = app
        .put_auth(
            &format!("/api/v1/admin/departments/fns-77/officers/{}", officer.id),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&json_of(r).await), "user-other-agency");

    // The command line: the integrator leaves the tax service and joins the traffic police.
    let out = app
        .cli(&["user", "set-agency", "+79161250042", "--agency", "gibdd"])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = app.cli(&["user", "list", "+79161250042"]).await;
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("agency gibdd"), "{listed}");
    let out = app
        .cli(&["user", "set-agency", "+79161250042", "--agency", "nowhere"])
        .await;
    assert!(!out.status.success());
    let r = app.delete_auth(&path("fns", integrator), &admin).await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "no longer the tax service's"
    );
    let r = app.delete_auth(&path("gibdd", integrator), &admin).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
}
