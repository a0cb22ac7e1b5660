//! Notifications (SPEC M7): in the cabinet with unread counts, and by email
//! and SMS as each person chose. They are made from domain events inside the
//! dispatch transaction, so a notice exists exactly when its event was
//! dispatched, and the outbound messages it queues commit with it.

use super::model::{Channel, Kind};
use super::store::{self, notification, preference};
use chrono::{DateTime, Utc};
use sep_contracts::applications::Action;
use sep_contracts::applications::StateChanged;
use sep_contracts::documents::{Change, DocumentChanged};
use sep_contracts::payments::{BalanceChanged, PaymentSettled};
use sep_identity::{service::Principal, service::contacts_of_all};
use sep_kernel::Kopecks;
use sep_kernel::i18n::FluentValue;
use sep_kernel::i18n::Lang;
use sep_platform::Platform;
use sep_platform::db::Txn;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{events::Event, events::Subscriber};
use sep_platform::{messages, messages::Outgoing};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a notice says, kept with it: the facts its line is made of, taken
/// from the event that caused it. (Notices written before the events were
/// typed hold the same keys, so they read the same.)
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    pub application_id: Option<Uuid>,
    pub document_id: Option<Uuid>,
    pub number: Option<String>,
    /// An application's state or a paper copy's postal state.
    pub state: Option<String>,
    pub comment: Option<String>,
    pub title: Option<String>,
    pub amount_kopecks: Option<i64>,
    pub operation_number: Option<String>,
    pub delta_kopecks: Option<i64>,
    /// A document to send with the mail (a receipt).
    pub attachment: Option<String>,
}

/// A notice to make: who gets which kind, where it links, what it says.
struct Notices {
    to: Vec<(Uuid, Kind)>,
    link: String,
    facts: Facts,
}

/// The notices an event causes, if it is one people are told about.
fn notices(base: &str, event: &Event) -> anyhow::Result<Option<Notices>> {
    if let Some(e) = event.read::<StateChanged>()? {
        let to = match e.action {
            Action::Submit
            | Action::Route
            | Action::Take
            | Action::Approve
            | Action::Refuse
            | Action::Complete => vec![(e.applicant_id, Kind::StatusChange)],
            Action::RequestInfo => vec![(e.applicant_id, Kind::ActionRequired)],
            Action::ProvideInfo => e
                .assignee_id
                .map(|a| vec![(a, Kind::InfoProvided)])
                .unwrap_or_default(),
            Action::Escalate => event
                .audience
                .iter()
                .filter(|u| **u != e.applicant_id)
                .map(|u| (*u, Kind::DeadlineOverdue))
                .collect(),
            _ => Vec::new(),
        };
        return Ok(Some(Notices {
            to,
            link: format!("{base}/applications/{}", e.application_id),
            facts: Facts {
                application_id: Some(e.application_id),
                number: Some(e.number),
                state: Some(e.state.as_str().into()),
                comment: e.comment,
                ..Facts::default()
            },
        }));
    }
    if let Some(e) = event.read::<PaymentSettled>()? {
        let kind = if e.succeeded {
            Kind::PaymentSucceeded
        } else {
            Kind::PaymentFailed
        };
        return Ok(Some(Notices {
            to: vec![(e.owner_id, kind)],
            link: format!("{base}/payments"),
            facts: Facts {
                amount_kopecks: Some(e.amount_kopecks),
                operation_number: e.operation_number,
                attachment: e.attachment,
                ..Facts::default()
            },
        }));
    }
    if let Some(e) = event.read::<BalanceChanged>()? {
        return Ok(Some(Notices {
            to: vec![(e.owner_id, Kind::BalanceChanged)],
            link: format!("{base}/account"),
            facts: Facts {
                delta_kopecks: Some(e.delta_kopecks),
                ..Facts::default()
            },
        }));
    }
    if let Some(e) = event.read::<DocumentChanged>()? {
        let mut facts = Facts {
            document_id: Some(e.document_id),
            number: Some(e.number),
            title: Some(e.title),
            ..Facts::default()
        };
        let kind = match e.change {
            Change::Issued { .. } => Kind::DocumentIssued,
            Change::Revoked { comment } => {
                facts.comment = Some(comment);
                Kind::DocumentRevoked
            }
            Change::Postal { state } => {
                facts.state = Some(state);
                Kind::DocumentPostal
            }
        };
        return Ok(Some(Notices {
            to: vec![(e.owner_id, kind)],
            link: format!("{base}/documents/{}", e.document_id),
            facts,
        }));
    }
    Ok(None)
}

/// The notice's one line, in `lang`.
pub fn title(lang: Lang, kind: Kind, facts: &Facts) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let state = text(&facts.state);
    let money = |v: Option<i64>| v.map(|v| Kopecks(v.abs()).show()).unwrap_or_default();
    let args: Vec<(&'static str, FluentValue<'static>)> = vec![
        ("number", text(&facts.number).into()),
        ("state", lang.t(&format!("state-{state}")).into()),
        ("comment", text(&facts.comment).into()),
        ("amount", money(facts.amount_kopecks).into()),
        ("operation", text(&facts.operation_number).into()),
        ("title", text(&facts.title).into()),
        ("postal", lang.t(&format!("postal-state-{state}")).into()),
        ("delta", money(facts.delta_kopecks).into()),
        (
            "direction",
            (if facts.delta_kopecks.unwrap_or(0) < 0 {
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
        self.handle_all(p, txn, std::slice::from_ref(event)).await
    }

    /// The notices of a whole batch with one read of the people's choices,
    /// one of their contacts and one write each of notices and messages:
    /// under a stream of submissions the dispatcher's statements, not their
    /// work, were the cost.
    async fn handle_all(&self, p: &Platform, txn: &Txn, events: &[Event]) -> anyhow::Result<()> {
        let base = p.config.public_url();
        let mut made = Vec::new();
        for event in events {
            if let Some(n) = notices(&base, event)? {
                made.push((event, n));
            }
        }
        let mut people: Vec<Uuid> = made
            .iter()
            .flat_map(|(_, n)| n.to.iter().map(|(user, _)| *user))
            .collect();
        people.sort();
        people.dedup();
        if people.is_empty() {
            return Ok(());
        }
        let chosen = store::preferences_of(&**txn, people.clone()).await?;
        let contacts = contacts_of_all(&**txn, people).await?;
        let mut rows = Vec::new();
        // The texts first: the messages borrow them.
        let mut texts = Vec::new();
        for (event, Notices { to, link, facts }) in &made {
            let stored = serde_json::to_string(facts)?;
            for (user, kind) in to {
                rows.push(notification::Model {
                    id: Uuid::now_v7(),
                    user_id: *user,
                    kind: kind.as_str().into(),
                    event_id: event.id,
                    payload: stored.clone(),
                    created_at: event.at,
                    read_at: None,
                });
                let wants = |channel: Channel| {
                    chosen
                        .iter()
                        .find(|c| {
                            c.user_id == *user
                                && c.kind == kind.as_str()
                                && c.channel == channel.as_str()
                        })
                        .map_or(kind.default_for(channel), |c| c.enabled)
                };
                let Some((phone, email)) = contacts.get(user) else {
                    continue;
                };
                // Outside messages are in Russian: the product has no per-person language yet.
                let line = title(Lang::Ru, *kind, facts);
                if wants(Channel::Email) {
                    // A document the event comes with (a receipt) travels with the mail.
                    let attachment = facts.attachment.as_deref();
                    let enclosed = if attachment.is_some() {
                        "Документ — во вложении.\n"
                    } else {
                        ""
                    };
                    texts.push(Text {
                        channel: messages::Channel::Email,
                        to: email,
                        subject: Some(format!("СЭП: {line}")),
                        body: format!("{line}\n\n{enclosed}Подробнее в личном кабинете: {link}\n"),
                        attachment,
                    });
                }
                if wants(Channel::Sms) {
                    texts.push(Text {
                        channel: messages::Channel::Sms,
                        to: phone,
                        subject: None,
                        body: format!("СЭП: {line}"),
                        attachment: None,
                    });
                }
            }
        }
        store::insert(&**txn, rows).await?;
        let outgoing = texts
            .iter()
            .map(|t| Outgoing {
                channel: t.channel,
                to: t.to,
                subject: t.subject.as_deref(),
                body: &t.body,
                attachment: t.attachment,
            })
            .collect();
        messages::enqueue_all(&**txn, &p.secrets, p.now(), outgoing).await?;
        Ok(())
    }
}

/// A message's parts while a batch is made.
struct Text<'a> {
    channel: messages::Channel,
    to: &'a str,
    subject: Option<String>,
    body: String,
    attachment: Option<&'a str>,
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

fn view(lang: Lang, n: notification::Model) -> Result<NotificationView> {
    let kind = sep_platform::db::stored("notifications.kind", &n.kind, Kind::parse)?;
    let facts: Facts = serde_json::from_str(&n.payload)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("notice {}: {e}", n.id)))?;
    let application = facts.application_id.map(|a| a.to_string());
    Ok(NotificationView {
        id: n.id,
        kind,
        title: title(lang, kind, &facts),
        created_at: n.created_at,
        read: n.read_at.is_some(),
        link: application.as_ref().map(|a| format!("/applications/{a}")),
        application_id: application,
        number: facts.number.clone(),
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
    rows.into_iter().map(|n| view(lang, n)).collect()
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
