//! Notices in the cabinet, by email and SMS per preference, and the live
//! stream of application events.

use crate::helpers::*;
use futures::StreamExt;
use reqwest::StatusCode;
use sep_identity::model::AssuranceLevel;
use serde_json::{Value, json};
use std::time::Duration;

fn statement() -> Value {
    json!({
        "service": "tax-debt-statement",
        "answers": {
            "full_name": "Петрова Анна Сергеевна", "birth_date": "05.03.1985",
            "snils": "112-233-445 95", "phone": "+79165551234",
            "inn": "500100732259", "as_of": "2026-11-20"
        }
    })
}

#[tokio::test]
async fn every_step_is_noticed_in_the_cabinet_and_sent_as_chosen() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Standard, "112-233-445 95")
        .await;
    let officer = app.officer_in("+79161230003", "fns-77").await;
    let a = json_of(app.submit(&anna.token, "k", &statement()).await).await;
    let id = a["id"].as_str().unwrap();
    let number = a["number"].as_str().unwrap();
    app.act(&officer.token, id, "take", "").await;
    app.act(&officer.token, id, "request_info", "Нужна выписка из банка")
        .await;

    let list = json_of(app.get_auth("/api/v1/notifications", &anna.token).await).await;
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            format!("Заявление {number}: требуются сведения — Нужна выписка из банка"),
            format!("Заявление {number}: На рассмотрении"),
            format!("Заявление {number}: Направлено в ведомство"),
            format!("Заявление {number}: Принято"),
        ]
    );
    assert_eq!(list[0]["kind"], "action_required");
    assert_eq!(list[0]["link"], format!("/applications/{id}"));
    let count = json_of(
        app.get_auth("/api/v1/notifications/unread-count", &anna.token)
            .await,
    )
    .await;
    assert_eq!(count["unread"], 4);

    // By default: email for everything, SMS only when something is asked.
    let mails: Vec<String> = app
        .mails()
        .into_iter()
        .filter(|(to, _, _)| to.starts_with("79161230001"))
        .map(|(_, subject, _)| subject)
        .collect();
    assert_eq!(mails.len(), 4, "{mails:?}");
    assert!(mails.contains(&format!("СЭП: Заявление {number}: Принято")));
    let sms: Vec<String> = app
        .sms()
        .into_iter()
        .filter(|m| m["to"] == anna.phone.as_str())
        .map(|m| m["text"].as_str().unwrap().to_string())
        .filter(|t| t.starts_with("СЭП: Заявление"))
        .collect();
    assert_eq!(
        sms,
        [format!(
            "СЭП: Заявление {number}: требуются сведения — Нужна выписка из банка"
        )]
    );

    // English titles for an English reader; filters; reading.
    let r = app
        .http
        .get(app.url("/api/v1/notifications?unread=true&kind=status_change"))
        .bearer_auth(&anna.token)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let en = json_of(r).await;
    assert_eq!(en.as_array().unwrap().len(), 3);
    assert_eq!(
        en[0]["title"],
        format!("Application {number}: Under review")
    );
    let first = list[0]["id"].as_str().unwrap();
    let r = app
        .post_auth(
            &format!("/api/v1/notifications/{first}/read"),
            &anna.token,
            json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .post_auth(
            &format!("/api/v1/notifications/{first}/read"),
            &officer.token,
            json!({}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "not the officer's notice"
    );
    let count = json_of(
        app.get_auth("/api/v1/notifications/unread-count", &anna.token)
            .await,
    )
    .await;
    assert_eq!(count["unread"], 3);
    app.post_auth("/api/v1/notifications/read-all", &anna.token, json!({}))
        .await;
    let count = json_of(
        app.get_auth("/api/v1/notifications/unread-count", &anna.token)
            .await,
    )
    .await;
    assert_eq!(count["unread"], 0);

    // Turning email off for status changes stops those mails; the cabinet keeps its record.
    let r = app
        .put_auth(
            "/api/v1/notifications/preferences",
            &anna.token,
            json!({ "preferences": [{ "kind": "status_change", "channel": "email", "enabled": false }] }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let prefs = json_of(r).await;
    assert!(
        prefs
            .as_array()
            .unwrap()
            .contains(&json!({"kind": "status_change", "channel": "email", "enabled": false}))
    );
    let r = app
        .put_auth(
            "/api/v1/notifications/preferences",
            &anna.token,
            json!({ "preferences": [{ "kind": "status_change", "channel": "cabinet", "enabled": false }] }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let before = app.mails().len();
    app.act(&anna.token, id, "provide_info", "Выписка приложена")
        .await;
    app.act(&officer.token, id, "approve", "").await;
    let anna_mails_after = app.mails()[before..]
        .iter()
        .filter(|(to, _, _)| to.starts_with("79161230001"))
        .count();
    assert_eq!(anna_mails_after, 0);
    let count = json_of(
        app.get_auth("/api/v1/notifications/unread-count", &anna.token)
            .await,
    )
    .await;
    assert_eq!(count["unread"], 1, "approval noticed in the cabinet");
    // The officer on it heard that the applicant answered.
    let officer_list = json_of(app.get_auth("/api/v1/notifications", &officer.token).await).await;
    assert_eq!(officer_list[0]["kind"], "info_provided");
}

/// Reads server-sent events until one named `name` arrives; returns its data.
async fn next_event(
    stream: &mut (impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    buffer: &mut String,
    name: &str,
) -> Value {
    loop {
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let mut event = "";
            let mut data = String::new();
            for line in block.lines() {
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e;
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                }
            }
            if event == name {
                return serde_json::from_str(&data).unwrap();
            }
        }
        let chunk = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("an event within 10 s")
            .expect("the stream stays open")
            .unwrap();
        buffer.push_str(std::str::from_utf8(&chunk).unwrap());
    }
}

#[tokio::test]
async fn the_applicant_hears_each_step_live_and_strangers_hear_nothing() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Standard, "112-233-445 95")
        .await;
    let boris = app
        .applicant("+79161230002", AssuranceLevel::Standard, "")
        .await;
    let officer = app.officer_in("+79161230003", "fns-77").await;
    let a = json_of(app.submit(&anna.token, "k", &statement()).await).await;
    let id = a["id"].as_str().unwrap().to_string();

    let open = |token: &str| {
        app.http
            .get(app.url("/api/v1/events"))
            .bearer_auth(token)
            .send()
    };
    let r = open(&anna.token).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/event-stream");
    let mut anna_stream = r.bytes_stream();
    let mut boris_stream = open(&boris.token).await.unwrap().bytes_stream();
    let mut officer_stream = open(&officer.token).await.unwrap().bytes_stream();
    let (mut a_buf, mut o_buf) = (String::new(), String::new());

    app.act(&officer.token, &id, "take", "").await;
    let e = next_event(&mut anna_stream, &mut a_buf, "application.state").await;
    assert_eq!(e["application_id"], id.as_str());
    assert_eq!(e["state"], "in_review");
    assert_eq!(e["state_label"], "На рассмотрении");
    assert_eq!(e["unread"], 3);
    let e = next_event(&mut officer_stream, &mut o_buf, "application.state").await;
    assert_eq!(
        e["state"], "in_review",
        "the department's officers hear it too"
    );

    app.act(&officer.token, &id, "approve", "").await;
    let e = next_event(&mut anna_stream, &mut a_buf, "application.state").await;
    assert_eq!(e["state"], "approved");
    assert_eq!(e["state_label"], "Одобрено");

    // Boris's stream carried nothing of Anna's (only keep-alive comments, if anything).
    let nothing = tokio::time::timeout(Duration::from_millis(300), boris_stream.next()).await;
    if let Ok(Some(Ok(chunk))) = nothing {
        assert!(
            !String::from_utf8_lossy(&chunk).contains(&id),
            "a stranger heard it"
        );
    }
    let r = app.get("/api/v1/events").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
