//! The cabinet's application pages: applying (`apply`), «Мои заявки», one
//! application with its public history and the actions the reader may take,
//! and the officer's queue. They call the same services as the API.

mod apply;
mod form;
mod sign;

use crate::{model::Action, model::State};
use crate::{service, service::ActInput, service::ApplicationSummary, service::ListQuery};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sep_contracts::catalog::catalogue;
use sep_identity::service::contacts_of;
use sep_identity::visit::Member;
use sep_kernel::i18n::Lang;
use sep_platform::Platform;
use sep_platform::clock::show;
use sep_platform::throttle::Cost;
use sep_platform::throttle::http::limited;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::CheckedForm;
use sep_web::{Chrome, render};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/applications", get(mine))
        .route("/applications/{id}", get(detail))
        .route("/applications/{id}/act", post(act))
        .route("/officer/queue", get(queue))
        .route(
            "/services/{code}/check",
            limited(Cost::Public, post(apply::check)),
        )
}

/// The form post carries files: its own body limit (a few files of 5 MB).
pub fn upload_routes() -> Router<Platform> {
    Router::new()
        .route(
            "/services/{code}/apply",
            get(apply::apply_page).merge(limited(Cost::Heavy, post(apply::apply_submit))),
        )
        .route(
            "/applications/{id}/sign",
            limited(Cost::Heavy, post(sign::sign)),
        )
        .layer(DefaultBodyLimit::max(
            4 * service::MAX_FILE_BYTES + 256 * 1024,
        ))
}

/// An application as a row of a list, in the reader's language.
pub struct Row {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub state: &'static str,
    pub state_label: String,
    pub submitted: String,
    pub due: String,
    pub overdue: bool,
    pub urgent: bool,
}

fn row(lang: Lang, a: &ApplicationSummary) -> Row {
    Row {
        id: a.id,
        number: a.number.clone(),
        title: a.service_title.get(lang).to_string(),
        state: a.state.as_str(),
        state_label: lang.t(&format!("state-{}", a.state.as_str())),
        submitted: show(a.submitted_at),
        due: a.due_on.format("%d.%m.%Y").to_string(),
        overdue: a.overdue,
        urgent: a.priority == "urgent",
    }
}

#[derive(Template)]
#[template(path = "applications/list.html")]
struct MinePage {
    chrome: Chrome,
    rows: Vec<Row>,
    drafts: Vec<(String, String, String)>,
    /// The last row's id when a further page may follow.
    next: Option<Uuid>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MineQuery {
    after: Option<String>,
}

/// A page of «Мои заявки»: however many a person has, one page is read at a
/// time, the next one by the keyset cursor. Twenty, as portals show: each
/// row costs as much to render as the page's own query.
const MINE_PAGE: u64 = 20;

async fn mine(Member(v, who): Member, Query(q): Query<MineQuery>) -> Result<Response> {
    let lang = v.lang();
    let query = ListQuery {
        limit: Some(MINE_PAGE),
        after: q.after.clone(),
        ..ListQuery::default()
    };
    let list = service::mine(&v.p, &who, &query).await?;
    let next = (list.len() as u64 == MINE_PAGE)
        .then(|| list.last().map(|a| a.id))
        .flatten();
    // The drafts head the first page only.
    let saved = match q.after {
        None => service::drafts(&v.p, &who).await?,
        Some(_) => Vec::new(),
    };
    let mut drafts = Vec::new();
    for d in saved {
        let title = catalogue(&v.p)
            .title(&v.p, &d.service)
            .await?
            .map(|t| t.get(lang).to_string())
            .unwrap_or_else(|| d.service.clone());
        drafts.push((d.service, title, show(d.updated_at)));
    }
    Ok(render(&MinePage {
        chrome: v.chrome(),
        rows: list.iter().map(|a| row(lang, a)).collect(),
        drafts,
        next,
    }))
}

pub struct HistoryLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub to: String,
    pub comment: Option<String>,
}

pub struct AnswerLine {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "applications/detail.html")]
struct DetailPage {
    chrome: Chrome,
    id: Uuid,
    number: String,
    title: String,
    state: &'static str,
    state_label: String,
    submitted: String,
    due: String,
    overdue: bool,
    decision_reason: Option<String>,
    /// The state fee: amount, its УИН once posted, paid?
    fee: Option<(String, Option<String>, bool)>,
    answers: Vec<AnswerLine>,
    files: Vec<(Uuid, String)>,
    history: Vec<HistoryLine>,
    actions: Vec<(&'static str, String, bool)>,
    officers: Vec<(Uuid, String)>,
    notice: Option<String>,
    error: Option<String>,
    signatures: Vec<sign::SignatureLine>,
    /// The applicant holds a certificate in force: the page offers to sign.
    can_sign: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DetailQuery {
    submitted: Option<String>,
    done: Option<String>,
    signed: Option<String>,
}

/// The answers as label: value lines, in the order of the form.
fn answer_lines(lang: Lang, form: &sep_forms::Form, answers: &Value) -> Vec<AnswerLine> {
    use sep_forms::FieldKind;
    let mut out = Vec::new();
    let show_value = |kind: &FieldKind, v: &Value| -> String {
        match (kind, v) {
            (FieldKind::Checkbox, Value::Bool(b)) => {
                lang.t(if *b { "label-yes" } else { "label-no" })
            }
            (FieldKind::Select { options }, Value::String(s)) => options
                .iter()
                .find(|o| &o.value == s)
                .map(|o| o.label.get(lang).to_string())
                .unwrap_or_else(|| s.clone()),
            (FieldKind::Address, Value::Object(o)) => ["postcode", "region_code", "line"]
                .iter()
                .filter_map(|k| o.get(*k).and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(", "),
            (FieldKind::File, _) => lang.t("label-attached"),
            (FieldKind::Date { .. }, Value::String(s)) => sep_forms::parse_date(s)
                .map(|d| d.format("%d.%m.%Y").to_string())
                .unwrap_or_else(|_| s.clone()),
            (_, Value::String(s)) => s.clone(),
            (_, other) => other.to_string(),
        }
    };
    for f in form.fields() {
        let Some(v) = answers.get(&f.name) else {
            continue;
        };
        match (&f.kind, v) {
            (FieldKind::Group { fields, .. }, Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    for g in fields {
                        if let Some(x) = item.get(&g.name) {
                            out.push(AnswerLine {
                                label: format!(
                                    "{} {} — {}",
                                    f.label.get(lang),
                                    i + 1,
                                    g.label.get(lang)
                                ),
                                value: show_value(&g.kind, x),
                            });
                        }
                    }
                }
            }
            (kind, v) => out.push(AnswerLine {
                label: f.label.get(lang).to_string(),
                value: show_value(kind, v),
            }),
        }
    }
    out
}

pub(super) async fn detail_page(
    Member(v, who): &Member,
    id: Uuid,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response> {
    let lang = v.lang();
    let a = service::get(&v.p, who, id).await?;
    let form = catalogue(&v.p)
        .form(&v.p, &a.summary.service, a.form_version)
        .await?;
    let mut officers = Vec::new();
    if a.actions.contains(&Action::Assign)
        && let Some(d) = &a.summary.department
    {
        for o in catalogue(&v.p).officers_of(&v.p, d).await? {
            if let Some((_, email)) = contacts_of(&*v.p.db, o).await? {
                officers.push((o, email));
            }
        }
    }
    let needs_comment = |action: Action| {
        matches!(
            action,
            Action::RequestInfo | Action::ProvideInfo | Action::Refuse
        )
    };
    let (signatures, can_sign) = sign::section(v, who, id, lang).await?;
    let s = &a.summary;
    Ok(render(&DetailPage {
        chrome: v.chrome(),
        id: s.id,
        number: s.number.clone(),
        title: s.service_title.get(lang).to_string(),
        state: s.state.as_str(),
        state_label: lang.t(&format!("state-{}", s.state.as_str())),
        submitted: show(s.submitted_at),
        due: s.due_on.format("%d.%m.%Y").to_string(),
        overdue: s.overdue,
        decision_reason: a.decision_reason.clone(),
        fee: (a.fee_kopecks > 0).then(|| {
            (
                sep_kernel::Kopecks(a.fee_kopecks).show(),
                a.fee_uin.clone(),
                a.fee_paid,
            )
        }),
        answers: answer_lines(lang, &form, &a.answers),
        files: a
            .files
            .iter()
            .map(|f| (f.id, f.file_name.clone()))
            .collect(),
        history: a
            .history
            .iter()
            .rev()
            .map(|h| HistoryLine {
                at: show(h.at),
                actor: lang.t(&format!(
                    "actor-{}",
                    serde_json::to_value(h.actor)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                )),
                action: lang.t(&format!("action-{}", h.action.as_str())),
                to: lang.t(&format!("state-{}", h.to.as_str())),
                comment: h.comment.clone(),
            })
            .collect(),
        actions: a
            .actions
            .iter()
            .map(|act| {
                (
                    act.as_str(),
                    lang.t(&format!("button-{}", act.as_str())),
                    needs_comment(*act),
                )
            })
            .collect(),
        officers,
        notice,
        error,
        signatures,
        can_sign: can_sign && a.applicant_id == who.user_id,
    }))
}

async fn detail(Path(id): Path<Uuid>, m: Member, Query(q): Query<DetailQuery>) -> Result<Response> {
    let Member(v, _) = &m;
    let lang = v.lang();
    let notice = if q.submitted.is_some() {
        Some(lang.t("notice-submitted"))
    } else if q.signed.is_some() {
        Some(lang.t("notice-application-signed"))
    } else {
        q.done.map(|a| {
            let action = lang.t(&format!(
                "action-{}",
                Action::parse(&a).map_or("take", |x| x.as_str())
            ));
            lang.t_args("notice-action-done", &[("action", action.into())])
        })
    };
    detail_page(&m, id, notice, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ActForm {
    csrf: String,
    action: String,
    comment: String,
    assignee: String,
}

async fn act(
    Path(id): Path<Uuid>,
    m: Member,
    CheckedForm(form): CheckedForm<ActForm>,
) -> Result<Response> {
    let Member(v, who) = &m;
    let input = ActInput {
        action: form.action.clone(),
        comment: form.comment,
        assignee: form.assignee.parse().ok(),
    };
    match service::act(&v.p, &v.client, who, id, input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/applications/{id}?done={}", form.action)).into_response())
        }
        Err(e @ (AppError::Refused { .. } | AppError::Invalid(_))) => {
            let lang = v.lang();
            let message = e.refusal_message(lang).unwrap_or_else(|| {
                e.field_errors()
                    .iter()
                    .map(|f| lang.field_error(f))
                    .collect::<Vec<_>>()
                    .join("; ")
            });
            let mut r = detail_page(&m, id, None, Some(message)).await?;
            *r.status_mut() = e.status();
            Ok(r)
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "applications/queue.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<Row>,
    services: Vec<(String, String)>,
    states: Vec<(&'static str, String)>,
    filter_service: String,
    filter_state: String,
    filter_overdue: bool,
    filter_mine: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct QueueQuery {
    service: String,
    state: String,
    overdue: Option<String>,
    mine: Option<String>,
}

async fn queue(Member(v, who): Member, Query(q): Query<QueueQuery>) -> Result<Response> {
    let lang = v.lang();
    let query = ListQuery {
        service: Some(q.service.clone()).filter(|s| !s.is_empty()),
        state: Some(q.state.clone()).filter(|s| !s.is_empty()),
        overdue: q.overdue.as_ref().map(|_| true),
        mine: q.mine.as_ref().map(|_| true),
        limit: Some(service::MAX_PAGE),
        ..ListQuery::default()
    };
    let list = service::queue(&v.p, &who, &query).await?;
    let services = catalogue(&v.p)
        .search(&v.p, "", None)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s.title.get(lang).to_string()))
        .collect();
    let states = [
        State::Routed,
        State::InReview,
        State::NeedsInfo,
        State::Approved,
        State::Refused,
        State::Completed,
        State::Withdrawn,
    ]
    .iter()
    .map(|s| (s.as_str(), lang.t(&format!("state-{}", s.as_str()))))
    .collect();
    Ok(render(&QueuePage {
        chrome: v.chrome(),
        rows: list.iter().map(|a| row(lang, a)).collect(),
        services,
        states,
        filter_service: q.service,
        filter_state: q.state,
        filter_overdue: q.overdue.is_some(),
        filter_mine: q.mine.is_some(),
    }))
}
