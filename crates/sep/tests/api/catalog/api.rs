//! The catalogue through the API: search in Russian with the same ranking on
//! both engines, service pages' data, and an administrator adding a service.

use crate::helpers::{TestApp, error_fields};
use reqwest::StatusCode;
use sep_identity::model::Role;
use serde_json::{Value, json};

fn codes(found: &Value) -> Vec<&str> {
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect()
}

async fn search(app: &TestApp, q: &str) -> Value {
    let r = app
        .http
        .get(app.url("/api/v1/services"))
        .query(&[("q", q)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

#[tokio::test]
async fn search_understands_russian_word_forms_and_ranks_alike_on_both_engines() {
    let app = TestApp::with_catalog().await;
    // The expected lists are the same whichever engine runs the test.
    assert_eq!(
        codes(&search(&app, "загранпаспорт").await),
        ["foreign-passport"]
    );
    assert_eq!(
        codes(&search(&app, "загранпаспорта").await),
        ["foreign-passport"]
    );
    assert_eq!(
        codes(&search(&app, "пособие").await),
        ["unified-child-benefit"]
    );
    assert_eq!(
        codes(&search(&app, "пособия на детей").await),
        ["unified-child-benefit"]
    );
    assert_eq!(
        codes(&search(&app, "регистрация ИП").await),
        ["ip-registration", "ip-closure"]
    );
    assert_eq!(
        codes(&search(&app, "материнский капитал").await),
        ["maternity-capital-certificate", "maternity-capital-use"]
    );
    let passport = search(&app, "паспорт").await;
    assert_eq!(
        codes(&passport)[..2],
        ["passport-replacement", "foreign-passport"],
        "title hits first"
    );
    assert!(codes(&search(&app, "квантовый телепорт").await).is_empty());
    assert!(
        codes(&search(&app, "и в на").await).is_empty(),
        "stop words alone find nothing"
    );
    let found = search(&app, "штраф").await;
    assert_eq!(
        found[0]["agency"]["name"]["ru"],
        "Госавтоинспекция МВД России"
    );
}

#[tokio::test]
async fn the_catalogue_lists_categories_agencies_and_service_terms() {
    let app = TestApp::with_catalog().await;
    let categories = app.get_json("/api/v1/catalog/categories").await;
    let categories = categories.as_array().unwrap();
    assert!(categories.len() >= 8);
    assert_eq!(categories[0]["code"], "registration");
    assert!(
        categories
            .iter()
            .all(|c| c["services"].as_u64().unwrap() > 0)
    );
    let all = app.get_json("/api/v1/services").await;
    assert!(all.as_array().unwrap().len() >= 25);
    let transport = app.get_json("/api/v1/services?category=transport").await;
    assert!(
        transport
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["category"] == "transport")
    );
    let agencies = app.get_json("/api/v1/agencies").await;
    let agencies = agencies.as_array().unwrap();
    assert!(agencies.len() >= 6);
    let mut regions: Vec<&str> = agencies
        .iter()
        .flat_map(|a| a["departments"].as_array().unwrap())
        .map(|d| d["region_code"].as_str().unwrap())
        .collect();
    regions.sort();
    regions.dedup();
    assert!(regions.len() >= 3, "{regions:?}");

    let s = app.get_json("/api/v1/services/foreign-passport").await;
    assert_eq!(s["agency"]["code"], "mvd");
    assert_eq!(s["fee_kopecks"], 600000);
    assert_eq!(s["deadline_days"], 22);
    assert_eq!(s["level"], "confirmed");
    assert_eq!(s["form_version"], 1);
    assert_eq!(s["form"]["fields"][0]["prefill"], "full_name");
    let r = app.get("/api/v1/services/no-such-service").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn answers_are_checked_as_they_are_typed_in_the_request_language() {
    let app = TestApp::with_catalog().await;
    let check = |lang: &'static str, answers: Value| {
        let app = &app;
        async move {
            let r = app
                .http
                .post(app.url("/api/v1/services/tax-deduction-property/form/check"))
                .header("accept-language", lang)
                .json(&json!({ "answers": answers }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Value>().await.unwrap()
        }
    };
    let v = check("ru", json!({ "inn": "500100732258" })).await;
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["field"], "inn");
    assert_eq!(v["errors"][0]["code"], "inn-checksum");
    assert_eq!(
        v["errors"][0]["message"],
        "ИНН: контрольное число не сходится"
    );
    let v = check("en", json!({ "inn": "500100732258" })).await;
    assert_eq!(
        v["errors"][0]["message"],
        "INN: the check digits do not match"
    );
    // Only what was typed is checked: the required fields still empty are not errors yet.
    let v = check(
        "ru",
        json!({ "inn": "500100732259", "amount": "1 500 000" }),
    )
    .await;
    assert_eq!(v, json!({ "valid": true, "errors": [] }));
}

fn new_service(code: &str, department: &str) -> Value {
    json!({
        "code": code,
        "category": "social",
        "agency": "minpros",
        "title": { "ru": "Компенсация за путёвку в детский лагерь", "en": "Summer camp voucher refund" },
        "summary": { "ru": "Частичный возврат стоимости путёвки.", "en": "" },
        "keywords": ["лагерь", "путёвка"],
        "fee_kopecks": 0,
        "deadline_days": 15,
        "level": "standard",
        "form": { "fields": [
            { "name": "inn", "type": "inn", "label": { "ru": "ИНН" }, "required": true },
            { "name": "camp", "type": "text", "label": { "ru": "Лагерь" }, "required": true }
        ]},
        "routes": [{ "department": department }]
    })
}

#[tokio::test]
async fn an_administrator_adds_a_service_that_can_be_found_at_once() {
    let app = TestApp::with_catalog().await;
    let (_, admin) = app.user_with_role(Role::Admin, "+79161110001").await;
    let (_, officer) = app.user_with_role(Role::Officer, "+79161110002").await;

    let r = app
        .post_auth(
            "/api/v1/admin/services",
            &officer,
            new_service("camp-refund", "minpros-77"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let mut bad = new_service("camp-refund", "fns-77");
    bad["form"]["fields"][1]["pattern"] = json!("([unclosed");
    bad["deadline_days"] = json!(0);
    let r = app.post_auth("/api/v1/admin/services", &admin, bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    let fields = error_fields(&problem);
    assert!(fields.contains(&"deadline_days"), "{fields:?}");
    assert!(fields.contains(&"form.fields[1].pattern"), "{fields:?}");
    let r = app
        .post_auth(
            "/api/v1/admin/services",
            &admin,
            new_service("camp-refund", "fns-77"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "routes[0].department");
    assert_eq!(problem["errors"][0]["code"], "department-other-agency");
    assert_eq!(
        problem["errors"][0]["message"],
        "Подразделение: подразделение другого ведомства"
    );
    // Минпросвещения names no payee: a service with a fee would strand its applicants.
    let mut with_fee = new_service("camp-refund", "minpros-77");
    with_fee["fee_kopecks"] = json!(50000);
    let r = app
        .post_auth("/api/v1/admin/services", &admin, with_fee)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "fee_kopecks", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "fee-needs-payee");
    assert!(
        codes(&search(&app, "лагерь").await).is_empty(),
        "nothing was stored"
    );

    let r = app
        .post_auth(
            "/api/v1/admin/services",
            &admin,
            new_service("camp-refund", "minpros-77"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        codes(&search(&app, "путёвки в лагерь").await),
        ["camp-refund"]
    );
    let r = app
        .post_auth(
            "/api/v1/admin/services",
            &admin,
            new_service("camp-refund", "minpros-77"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    let r = app
        .post_auth(
            "/api/v1/admin/services/camp-refund/forms",
            &admin,
            json!({ "fields": [{ "name": "camp", "type": "text", "label": { "ru": "Лагерь" } }] }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 2);
    let s = app.get_json("/api/v1/services/camp-refund").await;
    assert_eq!(s["form_version"], 2);
    assert_eq!(s["form"]["fields"].as_array().unwrap().len(), 1);

    let r = app
        .put_auth(
            "/api/v1/admin/services/camp-refund/routes",
            &admin,
            json!({ "routes": [{ "region_code": "78", "department": "minpros-78" }] }),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a fallback route is required"
    );

    let r = app
        .put_auth(
            "/api/v1/admin/services/camp-refund/active",
            &admin,
            json!({ "active": false }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(codes(&search(&app, "лагерь").await).is_empty());
    let r = app.get("/api/v1/services/camp-refund").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
