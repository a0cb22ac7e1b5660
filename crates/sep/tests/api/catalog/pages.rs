//! The cabinet's pages over plain HTTP (no script): an administrator adds a
//! service through the admin page, a citizen finds it, saves a draft and
//! submits through the form, two officers racing to decide get one 200 and
//! one 409, and the page guards (login, CSRF).

use crate::helpers::pages::*;
use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use sep_identity::{model::AssuranceLevel, model::Role};
use serde_json::json;

#[tokio::test]
async fn an_administrator_adds_a_service_on_the_page_and_a_citizen_applies_on_pages() {
    let app = TestApp::with_catalog().await;
    let (_, admin) = app.user_with_role(Role::Admin, "+79161240001").await;
    let (_, citizen_only) = app.user_with_role(Role::Citizen, "+79161240002").await;
    let http = no_redirects();
    let description = include_str!("../../../../catalog/src/admin_example.json");

    let r = http
        .post(app.url("/admin/services"))
        .header("cookie", cookies(&citizen_only))
        .form(&[("csrf", CSRF), ("description", description)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "not an administrator");

    let broken = description.replace("\"deadline_days\": 5", "\"deadline_days\": 400");
    let r = http
        .post(app.url("/admin/services"))
        .header("cookie", cookies(&admin))
        .form(&[("csrf", CSRF), ("description", broken.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Срок, рабочих дней: от 1 до 365 рабочих дней"),
        "the field and the rule on the page"
    );

    let r = http
        .post(app.url("/admin/services"))
        .header("cookie", cookies(&admin))
        .form(&[("csrf", CSRF), ("description", description)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[LOCATION],
        "/admin/services?created=hunting-licence"
    );

    // The citizen finds it and opens the form, prefilled from the profile.
    let anna = app
        .applicant("+79161240003", AssuranceLevel::Standard, "112-233-445 95")
        .await;
    let found = http
        .get(app.url("/services?q=охота"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        found.contains("/services/hunting-licence"),
        "found by a word form"
    );
    let form = html(&http, &app, "/services/hunting-licence/apply", &anna.token).await;
    assert!(
        form.contains("value=\"Петрова Анна Сергеевна\""),
        "prefilled"
    );
    assert!(
        form.contains("data-show-if=\"with_dog\""),
        "the condition is on the page"
    );

    let multipart = |fields: &[(&str, &str)]| {
        fields
            .iter()
            .fold(reqwest::multipart::Form::new(), |f, (k, v)| {
                f.text(k.to_string(), v.to_string())
            })
    };
    // A draft keeps even a wrong ИНН.
    let r = http
        .post(app.url("/services/hunting-licence/apply"))
        .header("cookie", cookies(&anna.token))
        .multipart(multipart(&[
            ("csrf", CSRF),
            ("idempotency_key", "page-1"),
            ("intent", "draft"),
            ("full_name", "Петрова Анна Сергеевна"),
            ("inn", "500100732258"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let form = html(
        &http,
        &app,
        "/services/hunting-licence/apply?saved=1",
        &anna.token,
    )
    .await;
    assert!(form.contains("Черновик сохранён"));
    assert!(
        form.contains("value=\"500100732258\""),
        "the draft as typed"
    );

    // The dog is ticked, so its breed is required; the ИНН is wrong.
    let r = http
        .post(app.url("/services/hunting-licence/apply"))
        .header("cookie", cookies(&anna.token))
        .multipart(multipart(&[
            ("csrf", CSRF),
            ("idempotency_key", "page-1"),
            ("intent", "submit"),
            ("full_name", "Петрова Анна Сергеевна"),
            ("inn", "500100732258"),
            ("ground", "north"),
            ("with_dog", "true"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("data-error-for=\"inn\">контрольное число не сходится"),
        "{page}"
    );
    assert!(page.contains("data-error-for=\"dog_breed\">обязательное поле"));
    let r = http
        .post(app.url("/services/hunting-licence/apply"))
        .header("cookie", cookies(&anna.token))
        .multipart(multipart(&[
            ("csrf", CSRF),
            ("idempotency_key", "page-1"),
            ("intent", "submit"),
            ("full_name", "Петрова Анна Сергеевна"),
            ("inn", "500100732259"),
            ("ground", "north"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with("/applications/"), "{location}");
    app.settle().await;
    let page = html(&http, &app, &location, &anna.token).await;
    // The service has a state fee: the application waits for it, and says
    // what to pay and where.
    assert!(page.contains("Ожидает оплаты госпошлины"), "{page}");
    assert!(
        page.contains("id=\"pay-fee\" href=\"/payments/new?uin=0355"),
        "{page}"
    );
    assert!(page.contains("Северное"), "answers shown with their labels");
    let mine = html(&http, &app, "/applications", &anna.token).await;
    assert!(
        !mine.contains("Черновики"),
        "the submission used the draft up"
    );
    assert!(mine.contains("Разрешение на добычу охотничьих ресурсов"));
}

#[tokio::test]
async fn two_decisions_at_once_one_wins_and_the_other_is_told_why() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161240003", AssuranceLevel::Simplified, "112-233-445 95")
        .await;
    let officer = app.officer_in("+79161240004", "rosreestr-77").await;
    let body = json!({ "service": "egrn-extract", "answers": {
        "full_name": "Петрова Анна Сергеевна", "phone": "+79165551234",
        "cadastral_number": "77:01:0001001:1" } });
    let a: serde_json::Value = app
        .submit(&anna.token, "k", &body)
        .await
        .json()
        .await
        .unwrap();
    let id = a["id"].as_str().unwrap();
    app.pay_fee(&anna, id).await;
    app.act(&officer.token, id, "take", "").await;
    let (approve, refuse) = tokio::join!(
        app.act(&officer.token, id, "approve", ""),
        app.act(&officer.token, id, "refuse", "Нет такого объекта")
    );
    let mut statuses = [approve.status(), refuse.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let loser = if approve.status() == StatusCode::CONFLICT {
        approve
    } else {
        refuse
    };
    let problem: serde_json::Value = loser.json().await.unwrap();
    assert!(
        ["changed-meanwhile", "transition-not-allowed"]
            .contains(&problem["code"].as_str().unwrap()),
        "{problem}"
    );
    let history: serde_json::Value = app
        .get_auth(&format!("/api/v1/applications/{id}"), &anna.token)
        .await
        .json()
        .await
        .unwrap();
    let decisions = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["action"] == "approve" || h["action"] == "refuse")
        .count();
    assert_eq!(decisions, 1, "one decision recorded");
}

/// Every cabinet page takes a logged-in visitor (`Member`) and every posted
/// form a checked token (`CheckedForm`): without a session the visitor goes
/// to the login page, which brings them back to the page (for a post, the
/// page the form was on); a wrong token changes nothing.
#[tokio::test]
async fn pages_send_strangers_to_login_and_back_and_refuse_forms_without_the_token() {
    let app = TestApp::spawn().await;
    let location = |r: &reqwest::Response| {
        r.headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let r = no_redirects()
        .get(app.url("/charges?kind=fine"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login?back=%2Fcharges%3Fkind%3Dfine");
    let r = no_redirects()
        .post(app.url("/cards"))
        .header("referer", app.url("/cards"))
        .header("cookie", format!("sep_csrf={CSRF}"))
        .form(&[("csrf", CSRF), ("number", "4111111111111111")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login?back=%2Fcards");

    let phone = app.citizen("+79161239901", "forms@example.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let r = no_redirects()
        .post(app.url("/notifications"))
        .header("cookie", cookies(&token))
        .form(&[("csrf", "not-the-token")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::BAD_REQUEST);
    let r = no_redirects()
        .post(app.url("/notifications"))
        .header("cookie", cookies(&token))
        .form(&[("csrf", CSRF)])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
}
