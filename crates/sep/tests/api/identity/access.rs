//! Object-level and role checks: no route leaks another user's data.

use crate::helpers::*;
use reqwest::StatusCode;
use sep_identity::model::Role;
use serde_json::{Value, json};

#[tokio::test]
async fn a_citizen_cannot_read_another_citizens_profile_or_journal() {
    let app = TestApp::spawn().await;
    let a = app.citizen("+79123456789", "a@mail.ru").await;
    let b = app.citizen("+79123456788", "b@mail.ru").await;
    let ta = app.login(&a, &a, PASSWORD).await;
    let tb = app.login(&b, &b, PASSWORD).await;
    let b_id = app.user_id(&tb).await;
    let a_id = app.user_id(&ta).await;
    assert_eq!(
        app.get_auth(&format!("/api/v1/users/{b_id}/profile"), &ta)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_auth(&format!("/api/v1/users/{b_id}/logins"), &ta)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_auth(&format!("/api/v1/users/{a_id}/profile"), &ta)
            .await
            .status(),
        StatusCode::OK
    );
    // B's sessions cannot be ended by A.
    let b_sessions: Value = app
        .get_auth("/api/v1/sessions", &tb)
        .await
        .json()
        .await
        .unwrap();
    let b_session = b_sessions[0]["id"].as_str().unwrap();
    let r = app
        .http
        .delete(app.url(&format!("/api/v1/sessions/{b_session}")))
        .bearer_auth(&ta)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get_auth("/api/v1/profile", &tb).await.status(),
        StatusCode::OK
    );
    // A's own audit trail holds only A's records.
    let trail: Value = app
        .get_auth("/api/v1/audit/mine", &ta)
        .await
        .json()
        .await
        .unwrap();
    assert!(!trail.as_array().unwrap().is_empty());
    assert!(
        trail
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["actor_id"] == a_id.as_str())
    );
}

#[tokio::test]
async fn each_role_sees_what_it_may_and_admin_routes_refuse_everyone_else() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen("+79123456789", "c@mail.ru").await;
    let ct = app.login(&citizen, &citizen, PASSWORD).await;
    let citizen_id = app.user_id(&ct).await;
    let roles = [
        (Role::Representative, "+79000000102"),
        (Role::Officer, "+79000000103"),
        (Role::Support, "+79000000104"),
        (Role::Integrator, "+79000000106"),
        (Role::Admin, "+79000000105"),
    ];
    let mut tokens = vec![(Role::Citizen, ct.clone())];
    for (role, phone) in roles {
        let (_, t) = app.user_with_role(role, phone).await;
        tokens.push((role, t));
    }
    for (role, token) in &tokens {
        let admin = *role == Role::Admin;
        let list = app.get_auth("/api/v1/admin/users", token).await.status();
        let roles_put = app
            .put_auth(
                &format!("/api/v1/admin/users/{citizen_id}/roles"),
                token,
                json!({ "roles": ["citizen", "officer"] }),
            )
            .await
            .status();
        let unlock = app
            .post_auth(
                &format!("/api/v1/admin/users/{citizen_id}/unlock"),
                token,
                json!({}),
            )
            .await
            .status();
        let expected = if admin {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(
            (list, roles_put, unlock),
            (expected, expected, expected),
            "role {role}"
        );
        let profile = app
            .get_auth(&format!("/api/v1/users/{citizen_id}/profile"), token)
            .await
            .status();
        let may_read = matches!(role, Role::Admin | Role::Support | Role::Citizen);
        assert_eq!(
            profile == StatusCode::OK,
            may_read,
            "role {role} reading a citizen's profile"
        );
    }
    let me: Value = app
        .get_auth("/api/v1/profile", &ct)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["roles"],
        json!(["citizen", "officer"]),
        "the administrator's change took effect"
    );
    let r = app
        .put_auth(
            &format!("/api/v1/admin/users/{citizen_id}/roles"),
            &tokens[5].1,
            json!({ "roles": ["tsar"] }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn no_token_no_data_and_cookie_writes_need_the_csrf_header() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.get("/api/v1/profile").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_auth("/api/v1/profile", "forged").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let cookie = format!("sep_session={token}");
    let r = app
        .http
        .get(app.url("/api/v1/profile"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "a cookie reads");
    let r = app
        .http
        .put(app.url("/api/v1/profile"))
        .header("cookie", &cookie)
        .json(&json!({ "last_name": "Иванов", "first_name": "Иван" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a cookie alone does not write"
    );
}
