//! Notifications (SPEC M7): in the cabinet with unread counts, and by email
//! and SMS as each person chose. They are made from domain events inside the
//! dispatch transaction, so a notice exists exactly when its event was
//! dispatched, and the outbound messages it queues commit with it.

use super::model::{Channel, Kind};
use super::store::{self, notification, preference};
use chrono::{DateTime, Utc};
use sep_identity::{service::Principal, service::contacts_of};
use sep_kernel::Kopecks;
use sep_kernel::i18n::FluentValue;
use sep_kernel::i18n::Lang;
use sep_platform::Platform;
use sep_platform::db::Txn;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{events::Event, events::Subscriber};
use sep_platform::{messages, messages::Outgoing};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

fn to_audience(event: &Event, kind: Kind) -> Vec<(Uuid, Kind)> {
    event.audience.iter().map(|u| (*u, kind)).collect()
}

/// Who is told what about an event.
fn recipients(event: &Event) -> Vec<(Uuid, Kind)> {
    let p = &event.payload;
    let id = |k: &str| p[k].as_str().and_then(|s| s.parse::<Uuid>().ok());
    let owner = id("owner_id");
    match event.kind.as_str() {
        "payment.succeeded" => {
            return owner
                .map(|o| vec![(o, Kind::PaymentSucceeded)])
                .unwrap_or_default();
        }
        "payment.failed" => {
            return owner
                .map(|o| vec![(o, Kind::PaymentFailed)])
                .unwrap_or_default();
        }
        "account.balance" => {
            return owner
                .map(|o| vec![(o, Kind::BalanceChanged)])
                .unwrap_or_default();
        }
        "document.issued" => return to_audience(event, Kind::DocumentIssued),
        "document.revoked" => return to_audience(event, Kind::DocumentRevoked),
        "document.postal" => return to_audience(event, Kind::DocumentPostal),
        _ => {}
    }
    let applicant = id("applicant_id");
    match p["action"].as_str().unwrap_or("") {
        "submit" | "route" | "take" | "approve" | "refuse" | "complete" => applicant
            .map(|a| vec![(a, Kind::StatusChange)])
            .unwrap_or_default(),
        "request_info" => applicant
            .map(|a| vec![(a, Kind::ActionRequired)])
            .unwrap_or_default(),
        "provide_info" => id("assignee_id")
            .map(|a| vec![(a, Kind::InfoProvided)])
            .unwrap_or_default(),
        "escalate" => event
            .audience
            .iter()
            .filter(|u| Some(**u) != applicant)
            .map(|u| (*u, Kind::DeadlineOverdue))
            .collect(),
        _ => Vec::new(),
    }
}

/// The notice's one line, in `lang`.
pub fn title(lang: Lang, kind: Kind, payload: &Value) -> String {
    let text = |k: &str| payload[k].as_str().unwrap_or("").to_string();
    let state = lang.t(&format!("state-{}", text("state")));
    let money = |k: &str| {
        payload[k]
            .as_i64()
            .map(|v| Kopecks(v.abs()).show())
            .unwrap_or_default()
    };
    let args: Vec<(&'static str, FluentValue<'static>)> = vec![
        ("number", text("number").into()),
        ("state", state.into()),
        ("comment", text("comment").into()),
        ("amount", money("amount_kopecks").into()),
        ("operation", text("operation_number").into()),
        ("title", text("title").into()),
        (
            "postal",
            lang.t(&format!("postal-state-{}", text("state"))).into(),
        ),
        ("delta", money("delta_kopecks").into()),
        (
            "direction",
            (if payload["delta_kopecks"].as_i64().unwrap_or(0) < 0 {
                "out"
            } else {
                "in"
            })
            .into(),
        ),
    ];
    lang.t_args(&format!("notice-{}", kind.as_str()), &args)
}

pub struct Notifier;

#[async_trait::async_trait]
impl Subscriber for Notifier {
    async fn handle(&self, p: &Platform, txn: &Txn, event: &Event) -> anyhow::Result<()> {
        let link = match event.kind.as_str() {
            "application.state" => format!(
                "{}/applications/{}",
                p.config.public_url(),
                event.payload["application_id"].as_str().unwrap_or("")
            ),
            "payment.succeeded" | "payment.failed" => format!("{}/payments", p.config.public_url()),
            "account.balance" => format!("{}/account", p.config.public_url()),
            "document.issued" | "document.revoked" | "document.postal" => format!(
                "{}/documents/{}",
                p.config.public_url(),
                event.payload["document_id"].as_str().unwrap_or("")
            ),
            _ => return Ok(()),
        };
        for (user, kind) in recipients(event) {
            store::insert(
                &**txn,
                notification::Model {
                    id: Uuid::now_v7(),
                    user_id: user,
                    kind: kind.as_str().into(),
                    event_id: event.id,
                    payload: event.payload.to_string(),
                    created_at: event.at,
                    read_at: None,
                },
            )
            .await?;
            let chosen = store::preferences(&**txn, user).await?;
            let wants = |channel: Channel| {
                chosen
                    .iter()
                    .find(|c| c.kind == kind.as_str() && c.channel == channel.as_str())
                    .map_or(kind.default_for(channel), |c| c.enabled)
            };
            let Some((phone, email)) = contacts_of(&**txn, user).await? else {
                continue;
            };
            // Outside messages are in Russian: the product has no per-person language yet.
            let line = title(Lang::Ru, kind, &event.payload);
            if wants(Channel::Email) {
                let subject = format!("СЭП: {line}");
                // A document the event comes with (a receipt) travels with the mail.
                let attachment = event.payload["attachment"].as_str();
                let enclosed = if attachment.is_some() {
                    "Документ — во вложении.\n"
                } else {
                    ""
                };
                let body = format!("{line}\n\n{enclosed}Подробнее в личном кабинете: {link}\n");
                messages::enqueue(
                    &**txn,
                    &p.secrets,
                    p.now(),
                    Outgoing {
                        channel: messages::Channel::Email,
                        to: &email,
                        subject: Some(&subject),
                        body: &body,
                        attachment,
                    },
                )
                .await?;
            }
            if wants(Channel::Sms) {
                messages::enqueue(
                    &**txn,
                    &p.secrets,
                    p.now(),
                    Outgoing {
                        channel: messages::Channel::Sms,
                        to: &phone,
                        subject: None,
                        body: &format!("СЭП: {line}"),
                        attachment: None,
                    },
                )
                .await?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Serialize)]
pub struct NotificationView {
    pub id: Uuid,
    pub kind: Kind,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
    pub application_id: Option<String>,
    pub number: Option<String>,
    pub link: Option<String>,
}

fn view(lang: Lang, n: notification::Model) -> Option<NotificationView> {
    let kind = Kind::parse(&n.kind)?;
    let payload: Value = serde_json::from_str(&n.payload).unwrap_or_default();
    let application = payload["application_id"].as_str().map(str::to_string);
    Some(NotificationView {
        id: n.id,
        kind,
        title: title(lang, kind, &payload),
        created_at: n.created_at,
        read: n.read_at.is_some(),
        link: application.as_ref().map(|a| format!("/applications/{a}")),
        application_id: application,
        number: payload["number"].as_str().map(str::to_string),
    })
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub unread: bool,
    pub kind: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

pub async fn list(
    p: &Platform,
    who: &Principal,
    lang: Lang,
    q: &ListQuery,
) -> Result<Vec<NotificationView>> {
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(Kind::parse(k).ok_or_else(|| AppError::field("kind", "kind-unknown"))?),
        None => None,
    };
    let rows = store::list(
        &*p.db,
        who.user_id,
        q.unread,
        kind.map(Kind::as_str),
        q.limit.unwrap_or(50).clamp(1, 200),
        q.offset.unwrap_or(0),
    )
    .await?;
    Ok(rows.into_iter().filter_map(|n| view(lang, n)).collect())
}

pub async fn unread_count(p: &Platform, user: Uuid) -> Result<u64> {
    Ok(store::unread_count(&*p.db, user).await?)
}

/// The page header's counter of unread notices.
pub struct UnreadNotices;

#[async_trait::async_trait]
impl sep_identity::visit::HeaderCounts for UnreadNotices {
    async fn unread(&self, p: &Platform, user: Uuid) -> Result<u64> {
        unread_count(p, user).await
    }
}

/// Marks one notice (or all, with `id` absent) read; returns how many changed.
pub async fn mark_read(p: &Platform, who: &Principal, id: Option<Uuid>) -> Result<u64> {
    let n = store::mark_read(&*p.db, who.user_id, id, p.now()).await?;
    if id.is_some() && n == 0 {
        // Someone else's notice, or already read: the same answer, so as to tell nothing.
        return Err(AppError::NotFound);
    }
    Ok(n)
}

#[derive(Debug, Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct PreferenceView {
    pub kind: Kind,
    pub channel: Channel,
    pub enabled: bool,
}

/// Every kind × optional channel, with the person's choice or the default.
pub async fn preferences(p: &Platform, who: &Principal) -> Result<Vec<PreferenceView>> {
    let chosen = store::preferences(&*p.db, who.user_id).await?;
    Ok(Kind::ALL
        .into_iter()
        .flat_map(|kind| Channel::OPTIONAL.map(|channel| (kind, channel)))
        .map(|(kind, channel)| PreferenceView {
            kind,
            channel,
            enabled: chosen
                .iter()
                .find(|c| c.kind == kind.as_str() && c.channel == channel.as_str())
                .map_or(kind.default_for(channel), |c| c.enabled),
        })
        .collect())
}

pub async fn set_preferences(
    p: &Platform,
    who: &Principal,
    choices: Vec<PreferenceView>,
) -> Result<Vec<PreferenceView>> {
    if choices.iter().any(|c| c.channel == Channel::Cabinet) {
        // The cabinet is the record of what was said: it cannot be turned off.
        return Err(AppError::field("channel", "channel-required"));
    }
    let txn = p.db.begin().await?;
    for c in choices {
        store::set_preference(
            &*txn,
            preference::Model {
                user_id: who.user_id,
                kind: c.kind.as_str().into(),
                channel: c.channel.as_str().into(),
                enabled: c.enabled,
            },
        )
        .await?;
    }
    txn.commit().await?;
    preferences(p, who).await
}
