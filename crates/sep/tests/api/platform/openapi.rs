//! The OpenAPI document: every API route, each one really served.

use crate::helpers::TestApp;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn the_document_covers_every_route_and_every_route_answers() {
    let app = TestApp::spawn().await;
    let doc = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            assert!(
                !op["summary"].as_str().unwrap().is_empty(),
                "{method} {path}"
            );
            // A route that exists answers anything but 405 to its own method
            // (and the fallback's 404 problem is `not-found` with no route at all).
            let concrete = path
                .split('/')
                .map(|s| {
                    if s.starts_with('{') {
                        "00000000-0000-0000-0000-000000000000"
                    } else {
                        s
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            if concrete == "/api/v1/events" {
                continue; // a stream; covered by the notifications tests
            }
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = app
                .http
                .request(m, app.url(&concrete))
                .send()
                .await
                .unwrap();
            assert_ne!(
                r.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
        }
    }
    assert!(operations >= 60, "{operations} operations");
    let submit = &doc["paths"]["/api/v1/applications"]["post"];
    assert_eq!(submit["parameters"][0]["name"], "Idempotency-Key");
    assert_eq!(submit["security"][0], serde_json::json!({ "bearer": [] }));
    assert!(
        doc["paths"]["/api/v1/services"]["get"]["security"].is_null(),
        "public"
    );
    assert!(doc["paths"]["/api/v1/attachments"]["post"].is_object());
}
