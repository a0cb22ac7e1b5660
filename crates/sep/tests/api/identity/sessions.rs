use crate::helpers::*;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn list_and_revoke_sessions_and_see_the_login_journal() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let first = app.login(&phone, &phone, PASSWORD).await;
    let second = app.login(&phone, &phone, PASSWORD).await;
    app.login_attempt(&phone, "Wrong-Password-1").await;
    // Used a moment before it is revoked: the server has just read it.
    assert_eq!(
        app.get_auth("/api/v1/profile", &first).await.status(),
        StatusCode::OK
    );
    let list: Value = app
        .get_auth("/api/v1/sessions", &second)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let other = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == false)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .http
        .delete(app.url(&format!("/api/v1/sessions/{other}")))
        .bearer_auth(&second)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_auth("/api/v1/profile", &first).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_auth("/api/v1/profile", &second).await.status(),
        StatusCode::OK
    );

    let journal: Value = app
        .get_auth("/api/v1/profile/logins", &second)
        .await
        .json()
        .await
        .unwrap();
    let results: Vec<&str> = journal
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, vec!["wrong-password", "ok", "ok"]);
    assert_eq!(journal[1]["methods"], "password+sms");

    let r = app
        .post_auth("/api/v1/auth/logout", &second, json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_auth("/api/v1/profile", &second).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn sessions_end_after_fifteen_idle_minutes_and_at_their_absolute_limit() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    app.clock.advance(Duration::minutes(14));
    assert_eq!(
        app.get_auth("/api/v1/profile", &token).await.status(),
        StatusCode::OK,
        "activity keeps it alive"
    );
    app.clock.advance(Duration::minutes(14));
    assert_eq!(
        app.get_auth("/api/v1/profile", &token).await.status(),
        StatusCode::OK
    );
    app.clock.advance(Duration::minutes(15));
    let r = app.get_auth("/api/v1/profile", &token).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "session-expired");

    let token = app.login(&phone, &phone, PASSWORD).await;
    for _ in 0..(12 * 60 / 10) {
        app.clock.advance(Duration::minutes(10));
        if app.get_auth("/api/v1/profile", &token).await.status() != StatusCode::OK {
            break;
        }
    }
    assert_eq!(
        app.get_auth("/api/v1/profile", &token).await.status(),
        StatusCode::UNAUTHORIZED,
        "ends at the absolute limit despite activity"
    );
}

#[tokio::test]
async fn a_session_read_a_moment_ago_loses_a_removed_role_and_ends_at_once() {
    let app = TestApp::spawn().await;
    let (_, boss) = app
        .user_with_role(sep_identity::model::Role::Admin, "+79161250101")
        .await;
    let (deputy_id, deputy) = app
        .user_with_role(sep_identity::model::Role::Admin, "+79161250102")
        .await;
    let users = |token: String| {
        let app = &app;
        async move { app.get_auth("/api/v1/admin/users", &token).await.status() }
    };
    assert_eq!(
        users(deputy.clone()).await,
        StatusCode::OK,
        "an administrator"
    );
    let r = app
        .put_auth(
            &format!("/api/v1/admin/users/{deputy_id}/roles"),
            &boss,
            json!({ "roles": ["citizen"] }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        users(deputy.clone()).await,
        StatusCode::FORBIDDEN,
        "no longer an administrator, on the very next request"
    );
    assert_eq!(
        app.get_auth("/api/v1/profile", &deputy).await.status(),
        StatusCode::OK
    );
    let r = app
        .post_auth("/api/v1/auth/logout", &deputy, json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_auth("/api/v1/profile", &deputy).await.status(),
        StatusCode::UNAUTHORIZED,
        "ended on the very next request"
    );
    // A quarter of a minute later the same holds; the cache never brings it back.
    app.clock.advance(Duration::seconds(15));
    assert_eq!(
        app.get_auth("/api/v1/profile", &deputy).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
