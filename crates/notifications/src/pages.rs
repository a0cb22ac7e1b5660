//! `/notifications`: the notices, marking them read, and the preferences.

use super::model::{Channel, Kind};
use super::service::{self, ListQuery, PreferenceView};
use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sep_identity::visit::Member;
use sep_platform::Platform;
use sep_platform::clock::show;
use sep_platform::error::Result;
use sep_web::csrf::CheckedForm;
use sep_web::{Chrome, render};
use serde::Deserialize;

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/notifications", get(list).post(mark_read))
        .route("/notifications/preferences", post(save_preferences))
}

pub struct Line {
    pub id: String,
    pub title: String,
    pub at: String,
    pub read: bool,
    pub link: Option<String>,
}

/// (channel, its label, on?)
type ChannelChoice = (&'static str, String, bool);
/// (kind, its label, the channels)
type PreferenceRow = (&'static str, String, Vec<ChannelChoice>);

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct ListPage {
    chrome: Chrome,
    lines: Vec<Line>,
    unread_only: bool,
    preferences: Vec<PreferenceRow>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    unread: Option<String>,
    saved: Option<String>,
}

async fn list(Member(v, who): Member, Query(q): Query<PageQuery>) -> Result<Response> {
    let lang = v.lang();
    let query = ListQuery {
        unread: q.unread.is_some(),
        limit: Some(200),
        ..ListQuery::default()
    };
    let lines = service::list(&v.p, &who, lang, &query)
        .await?
        .into_iter()
        .map(|n| Line {
            id: n.id.to_string(),
            title: n.title,
            at: show(n.created_at),
            read: n.read,
            link: n.link,
        })
        .collect();
    let prefs = service::preferences(&v.p, &who).await?;
    let preferences = Kind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str(),
                lang.t(&format!("kind-notice-{}", k.as_str())),
                prefs
                    .iter()
                    .filter(|p| p.kind == *k)
                    .map(|p| {
                        (
                            p.channel.as_str(),
                            lang.t(&format!("channel-{}", p.channel.as_str())),
                            p.enabled,
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    Ok(render(&ListPage {
        chrome: v.chrome(),
        lines,
        unread_only: q.unread.is_some(),
        preferences,
        notice: q.saved.map(|_| lang.t("notice-preferences-saved")),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReadForm {
    csrf: String,
    /// One notice, or every unread one when empty.
    id: String,
}

async fn mark_read(
    Member(v, who): Member,
    CheckedForm(form): CheckedForm<ReadForm>,
) -> Result<Response> {
    let id = form.id.parse().ok();
    match service::mark_read(&v.p, &who, id).await {
        Ok(_) | Err(sep_platform::error::AppError::NotFound) => {}
        Err(e) => return Err(e),
    }
    Ok(Redirect::to("/notifications").into_response())
}

async fn save_preferences(
    Member(v, who): Member,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Result<Response> {
    // A checkbox left unticked is not posted: every pair not posted is "off".
    let choices = Kind::ALL
        .iter()
        .flat_map(|k| Channel::OPTIONAL.map(|c| (*k, c)))
        .map(|(kind, channel)| PreferenceView {
            kind,
            channel,
            enabled: pairs
                .iter()
                .any(|(k, _)| k == &format!("{}.{}", kind.as_str(), channel.as_str())),
        })
        .collect();
    service::set_preferences(&v.p, &who, choices).await?;
    Ok(Redirect::to("/notifications?saved=1").into_response())
}
