//! Charges (начисления): agencies post and cancel them, a person finds theirs
//! by the СНИЛС of their profile or a driver licence or СТС they added,
//! anyone looks one up by УИН.

use crate::helpers::*;
use reqwest::StatusCode;
use sep::identity::model::{AssuranceLevel, Role};
use sep::ids::Uin;
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

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.expect("JSON")
}

#[tokio::test]
async fn an_agency_posts_a_fine_and_the_citizen_sees_it_with_its_discount() {
    let app = TestApp::spawn().await;
    let anna = app
        .applicant("+79161250001", AssuranceLevel::Standard, SNILS)
        .await;
    let (_, officer) = app.user_with_role(Role::Officer, "+79161250002").await;

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
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
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
    let r = app
        .http
        .get(app.url("/api/v1/charges/52601815908301661313"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .http
        .get(app.url("/api/v1/charges/00000000000000000066"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_charge_is_cancelled_once_with_a_reason() {
    let app = TestApp::spawn().await;
    let (_, officer) = app.user_with_role(Role::Integrator, "+79161250003").await;
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
    let (_, officer) = app.user_with_role(Role::Officer, "+79161250012").await;
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
