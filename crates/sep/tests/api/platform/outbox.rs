//! The message outbox when a transport fails: the message stays, with its
//! error and a backoff, and goes out exactly once when the transport is back;
//! the code it carried is no longer readable once it was sent.

use crate::helpers::*;

#[tokio::test]
async fn a_refused_text_is_retried_after_its_backoff_and_sent_once() {
    let app = TestApp::spawn().await;
    let outbox = app.data_dir.join("outbox");
    // A directory where the file gateway appends: every text is refused.
    std::fs::create_dir_all(outbox.join("sms.jsonl")).unwrap();
    let reg = app.register("+79161300001", "outbox@example.ru").await;
    let phone = reg["phone"].as_str().unwrap().to_string();
    let row = |column: &'static str| {
        let app = &app;
        let phone = phone.clone();
        async move {
            app.raw_text(&format!(
                "SELECT CAST({column} AS TEXT) FROM outbound_messages WHERE recipient = '{phone}'"
            ))
            .await
        }
    };
    assert_eq!(row("attempts").await, vec![Some("1".to_string())]);
    assert!(row("last_error").await[0].is_some(), "the error is kept");
    assert_eq!(row("sent_at").await, vec![None]);
    assert_eq!(
        row("claimed_until").await,
        vec![None],
        "the claim is given back"
    );

    std::fs::remove_dir(outbox.join("sms.jsonl")).unwrap();
    app.settle().await;
    assert!(
        app.sms().is_empty(),
        "nothing is tried again before the backoff"
    );

    app.clock.advance(chrono::Duration::seconds(31));
    app.settle().await;
    app.settle().await;
    let texts: Vec<_> = app.sms().into_iter().filter(|m| m["to"] == phone).collect();
    assert_eq!(texts.len(), 1, "sent once: {texts:?}");
    let code = app.last_code(&phone);
    assert!(row("sent_at").await[0].is_some());
    let kept = row("body").await[0].clone().unwrap();
    assert!(!kept.contains(&code), "the sent code is not kept: {kept}");
    assert_eq!(row("attempts").await, vec![Some("2".to_string())]);
}

#[tokio::test]
async fn a_backlog_larger_than_a_round_drains_in_one_follow_up() {
    let app = TestApp::spawn().await;
    let rounds = sep_platform::messages::ROUND * 3 + 5;
    {
        let txn = app.platform.db.begin().await.unwrap();
        let texts: Vec<String> = (0..rounds)
            .map(|i| format!("СЭП: уведомление {i}"))
            .collect();
        let queued = texts
            .iter()
            .map(|body| sep_platform::messages::Outgoing {
                channel: sep_platform::messages::Channel::Sms,
                to: "+79161300002",
                subject: None,
                body,
                attachment: None,
            })
            .collect();
        sep_platform::messages::enqueue_all(
            &*txn,
            &app.platform.secrets,
            app.platform.now(),
            queued,
        )
        .await
        .unwrap();
        txn.commit().await.unwrap();
    }
    // One wake of the follow-up, as after the commit that queued them.
    app.settle().await;
    let unsent = app
        .raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM outbound_messages WHERE sent_at IS NULL")
        .await;
    assert_eq!(unsent, vec![Some("0".to_string())], "every round went out");
    let texts: Vec<_> = app
        .sms()
        .into_iter()
        .filter(|m| m["to"] == "+79161300002")
        .collect();
    assert_eq!(texts.len(), rounds, "each sent once");
}
