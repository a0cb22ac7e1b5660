//! A crash right after a submission is acknowledged: its checking and
//! routing follow the answer (from the submission's event in the outbox),
//! so a `sep serve` killed at once must leave nothing that a restarted one
//! does not finish — exactly once.

use crate::applications::api::{SNILS, tax_statement};
use crate::helpers::*;
use reqwest::StatusCode;
use sep_identity::model::AssuranceLevel;
use serde_json::Value;
use std::time::Duration;

#[tokio::test]
async fn a_submission_acknowledged_just_before_a_crash_is_routed_after_the_restart() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161280001", AssuranceLevel::Standard, SNILS)
        .await;
    let first = Server::start(&app, free_port(), &[]).await;
    let r = app
        .http
        .post(format!("{}/api/v1/applications", first.base))
        .bearer_auth(&anna.token)
        .header("idempotency-key", "crash-1")
        .json(&tax_statement("500100732259"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    // Killed before the answer is even read: the follow-up may not have begun.
    first.kill().await;
    let id = json_of(r).await["id"].as_str().unwrap().to_string();

    // The restarted process's clock runs on from later, as a real one would
    // (each starts from the test's clock).
    app.clock.advance(chrono::Duration::minutes(1));
    let second = Server::start(&app, free_port(), &[]).await;
    let path = format!("{}/api/v1/applications/{id}", second.base);
    let mut a = Value::Null;
    for _ in 0..300 {
        a = json_of(
            app.http
                .get(&path)
                .bearer_auth(&anna.token)
                .send()
                .await
                .unwrap(),
        )
        .await;
        if a["state"] == "routed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(a["state"], "routed", "{a}");
    assert_eq!(a["department"], "fns-77");
    let steps = steps_of(&a);
    assert_eq!(steps, ["accepted", "checking", "routed"], "each step once");
    second.kill().await;
}
