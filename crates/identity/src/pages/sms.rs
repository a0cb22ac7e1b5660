//! The demo SMS inbox.

use super::*;

// --- demo SMS inbox ---

#[derive(Template)]
#[template(path = "identity/sms.html")]
pub(super) struct SmsInbox {
    chrome: Chrome,
    messages: Vec<(String, String, String)>,
}

/// Shows the SMS the file gateway wrote, newest first. Demo mode only: in
/// production the gateway is real and this page does not exist.
pub(super) async fn demo_sms(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
) -> Result<Response> {
    if !p.config.demo {
        return Err(AppError::NotFound);
    }
    let text = tokio::fs::read_to_string(p.config.outbox_dir().join("sms.jsonl"))
        .await
        .unwrap_or_default();
    let messages = text
        .lines()
        .rev()
        .take(50)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            (
                v["at"].as_str().unwrap_or("").into(),
                v["to"].as_str().unwrap_or("").into(),
                v["text"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    Ok(render(&SmsInbox {
        chrome: chrome(&p, &client, &user, &csrf),
        messages,
    }))
}
