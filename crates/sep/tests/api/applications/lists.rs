//! «Мои заявки» however long: a page at a time by a keyset cursor (the id of
//! the previous page's last application), through the API and the page,
//! with ties of one instant (the test clock stands still) ordered by id.

use crate::applications::api::{SNILS, tax_statement};
use crate::helpers::pages::*;
use crate::helpers::*;
use reqwest::StatusCode;
use sep_identity::model::AssuranceLevel;
use serde_json::Value;

const INN: &str = "500100732259";

/// `n` applications of `token`'s holder, submitted at once.
async fn submit_many(app: &TestApp, token: &str, n: usize) {
    let posts = (0..n).map(|i| {
        app.http
            .post(app.url("/api/v1/applications"))
            .bearer_auth(token)
            .header("idempotency-key", format!("list-{i}"))
            .json(&tax_statement(INN))
            .send()
    });
    for r in futures::future::join_all(posts).await {
        assert_eq!(r.unwrap().status(), StatusCode::CREATED);
    }
    app.settle().await;
}

fn ids(page: &Value) -> Vec<String> {
    page.as_array()
        .expect("a list")
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn my_applications_page_by_a_cursor_through_the_api_and_the_cabinet() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161290001", AssuranceLevel::Standard, SNILS)
        .await;
    let boris = app
        .applicant("+79161290002", AssuranceLevel::Standard, "123-456-789 64")
        .await;
    submit_many(&app, &anna.token, 51).await;
    submit_many(&app, &boris.token, 1).await;

    let everything = ids(&app
        .get_auth_json("/api/v1/applications?limit=200", &anna.token)
        .await);
    assert_eq!(everything.len(), 51, "only her own, all of them");
    let mut paged = Vec::new();
    let mut path = "/api/v1/applications?limit=20".to_string();
    let mut pages = 0;
    loop {
        let page = ids(&app.get_auth_json(&path, &anna.token).await);
        pages += 1;
        paged.extend(page.iter().cloned());
        if page.len() < 20 {
            break;
        }
        path = format!("/api/v1/applications?limit=20&after={}", page[19]);
    }
    assert_eq!(pages, 3);
    assert_eq!(paged, everything, "pages in order, none lost or repeated");

    let theirs = ids(&app
        .get_auth_json("/api/v1/applications", &boris.token)
        .await);
    for bad in ["not-an-id", theirs[0].as_str()] {
        let r = app
            .get_auth(&format!("/api/v1/applications?after={bad}"), &anna.token)
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let problem = json_of(r).await;
        assert_eq!(problem["errors"][0]["field"], "after");
        assert_eq!(problem["errors"][0]["code"], "cursor-unknown");
    }
    let officer = app.officer_in("+79161290003", "fns-77").await;
    let r = app
        .get_auth(
            &format!("/api/v1/officer/queue?after={}", everything[0]),
            &officer.token,
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json_of(r).await["errors"][0]["code"],
        "cursor-own-list-only"
    );

    // The cabinet: twenty a page, then a link to the next twenty.
    let rows = |html: &str| html.matches("<tr><td><a href=\"/applications/").count();
    let (status, first) = page(&app, "/applications", &anna.token).await;
    assert_eq!(status, StatusCode::OK);
    let link = format!("/applications?after={}", everything[19]);
    assert!(first.contains(&format!("href=\"{link}\"")), "{first}");
    assert!(first.contains("Следующие заявления"));
    assert_eq!(rows(&first), 20);
    let last = format!("/applications?after={}", everything[39]);
    let (status, third) = page(&app, &last, &anna.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&third), 11);
    assert!(third.contains(&format!("/applications/{}", everything[50])));
    assert!(
        !third.contains("rel=\"next\""),
        "the last page links nowhere"
    );
}
