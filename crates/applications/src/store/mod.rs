//! SQL for applications. Services call these functions; nothing else touches
//! the applications context's tables.

pub mod entities;

pub use entities::{application, application_file, attachment, draft, event, idempotency_key};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{Condition, ConnectionTrait, QueryOrder, QuerySelect, Set};

pub const NUMBER_KEY: sep_platform::db::UniqueKey = sep_platform::db::UniqueKey {
    constraint: "applications_number_key",
    sqlite_columns: "applications.number",
};

/// The next number in `year`'s sequence. The counter row is locked until the
/// caller's transaction ends, so numbers are unique and without gaps.
/// The first of `n` numbers of `year`, taken at once.
pub async fn next_numbers(txn: &impl ConnectionTrait, year: i32, n: i64) -> Result<i64, DbErr> {
    Ok(sep_platform::db::next_in_year(txn, "application_counters", year, n).await? - n + 1)
}

/// Applications in one statement.
pub async fn insert_all(
    txn: &impl ConnectionTrait,
    rows: Vec<application::Model>,
) -> Result<(), DbErr> {
    let rows = rows
        .into_iter()
        .map(application::ActiveModel::from)
        .collect();
    sep_platform::db::insert_all(txn, rows).await
}

pub async fn by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<application::Model>, DbErr> {
    application::Entity::find_by_id(id).one(db).await
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<application::Model>, DbErr> {
    application::Entity::find()
        .filter(application::Column::Id.is_in(ids))
        .order_by_asc(application::Column::Id)
        .all(db)
        .await
}

pub async fn by_number(
    db: &impl ConnectionTrait,
    number: &str,
) -> Result<Option<application::Model>, DbErr> {
    application::Entity::find()
        .filter(application::Column::Number.eq(number))
        .one(db)
        .await
}

/// What a transition changes besides the state.
#[derive(Default, Clone, PartialEq)]
pub struct Change {
    pub assignee: Option<Option<Uuid>>,
    pub department: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub priority: Option<&'static str>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub overdue: Option<bool>,
}

impl Change {
    /// This change followed by `later`: what `later` sets wins.
    pub fn then(self, later: Change) -> Change {
        Change {
            assignee: later.assignee.or(self.assignee),
            department: later.department.or(self.department),
            decided_at: later.decided_at.or(self.decided_at),
            decision_reason: later.decision_reason.or(self.decision_reason),
            priority: later.priority.or(self.priority),
            escalated_at: later.escalated_at.or(self.escalated_at),
            overdue: later.overdue.or(self.overdue),
        }
    }
}

/// Moves an application to `state` if it is still at `version`; `false` when
/// someone else changed it first.
pub async fn transition(
    txn: &impl ConnectionTrait,
    id: Uuid,
    version: i32,
    state: &str,
    change: Change,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    transition_steps(txn, id, version, 1, state, change, now).await
}

/// `transition` for `steps` steps taken at once: one write, the version
/// moved on by each of them.
pub async fn transition_steps(
    txn: &impl ConnectionTrait,
    id: Uuid,
    version: i32,
    steps: i32,
    state: &str,
    change: Change,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    transition_all(txn, vec![id], version, steps, state, change, now).await
}

/// `transition_steps` for several applications at the same version making
/// the same change, in one write; `false` unless every one of them moved.
pub async fn transition_all(
    txn: &impl ConnectionTrait,
    ids: Vec<Uuid>,
    version: i32,
    steps: i32,
    state: &str,
    change: Change,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let n = ids.len() as u64;
    let mut q = application::Entity::update_many()
        .col_expr(application::Column::State, Expr::value(state))
        .col_expr(application::Column::Version, Expr::value(version + steps))
        .col_expr(application::Column::UpdatedAt, Expr::value(now));
    if let Some(a) = change.assignee {
        q = q.col_expr(application::Column::AssigneeId, Expr::value(a));
    }
    if let Some(d) = change.department {
        q = q.col_expr(application::Column::DepartmentCode, Expr::value(d));
    }
    if let Some(at) = change.decided_at {
        q = q.col_expr(application::Column::DecidedAt, Expr::value(at));
    }
    if let Some(r) = change.decision_reason {
        q = q.col_expr(application::Column::DecisionReason, Expr::value(r));
    }
    if let Some(p) = change.priority {
        q = q.col_expr(application::Column::Priority, Expr::value(p));
    }
    if let Some(at) = change.escalated_at {
        q = q.col_expr(application::Column::EscalatedAt, Expr::value(at));
    }
    if let Some(o) = change.overdue {
        q = q.col_expr(application::Column::Overdue, Expr::value(o));
    }
    let r = q
        .filter(application::Column::Id.is_in(ids))
        .filter(application::Column::Version.eq(version))
        .exec(txn)
        .await?;
    Ok(r.rows_affected == n)
}

pub async fn insert_event(txn: &impl ConnectionTrait, row: event::Model) -> Result<(), DbErr> {
    insert_events(txn, vec![row]).await
}

/// History lines in one statement.
pub async fn insert_events(
    txn: &impl ConnectionTrait,
    rows: Vec<event::Model>,
) -> Result<(), DbErr> {
    let rows = rows.into_iter().map(event::ActiveModel::from).collect();
    sep_platform::db::insert_all(txn, rows).await
}

pub async fn events(
    db: &impl ConnectionTrait,
    application_id: Uuid,
) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::ApplicationId.eq(application_id))
        .order_by_asc(event::Column::At)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await
}

/// Filters of the lists: an applicant's own, or a department's queue.
#[derive(Default, Clone)]
pub struct ListFilter {
    pub applicant: Option<Uuid>,
    pub departments: Option<Vec<String>>,
    pub service: Option<String>,
    pub states: Option<Vec<String>>,
    pub overdue: Option<bool>,
    pub assignee: Option<Uuid>,
    pub limit: u64,
    pub offset: u64,
    /// Keyset cursor of an applicant's list: only those after this one
    /// (submitted before it, or at the same instant with a smaller id), so a
    /// page costs the same however deep it is.
    pub after: Option<(DateTimeUtc, Uuid)>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    f: &ListFilter,
) -> Result<Vec<application::Model>, DbErr> {
    let mut cond = Condition::all();
    if let Some(a) = f.applicant {
        cond = cond.add(application::Column::ApplicantId.eq(a));
    }
    if let Some(d) = &f.departments {
        cond = cond.add(application::Column::DepartmentCode.is_in(d.clone()));
    }
    if let Some(s) = &f.service {
        cond = cond.add(application::Column::ServiceCode.eq(s.clone()));
    }
    if let Some(states) = &f.states {
        cond = cond.add(application::Column::State.is_in(states.clone()));
    }
    if let Some(o) = f.overdue {
        cond = cond.add(application::Column::Overdue.eq(o));
    }
    if let Some(a) = f.assignee {
        cond = cond.add(application::Column::AssigneeId.eq(a));
    }
    if let Some((at, id)) = f.after {
        cond = cond.add(
            Condition::any()
                .add(application::Column::SubmittedAt.lt(at))
                .add(
                    Condition::all()
                        .add(application::Column::SubmittedAt.eq(at))
                        .add(application::Column::Id.lt(id)),
                ),
        );
    }
    let mut q = application::Entity::find().filter(cond);
    q = if f.applicant.is_some() {
        q.order_by_desc(application::Column::SubmittedAt)
            .order_by_desc(application::Column::Id)
    } else {
        // The queue: urgent first ('urgent' sorts after 'normal'), then the nearest deadline.
        q.order_by_desc(application::Column::Priority)
            .order_by_asc(application::Column::DueOn)
            .order_by_asc(application::Column::SubmittedAt)
            .order_by_asc(application::Column::Id)
    };
    q.limit(f.limit).offset(f.offset).all(db).await
}

/// The oldest applications in `states`, by the state index: the sweep's
/// look for those a crash left half way, cheap however many others there are.
pub async fn oldest_in(
    db: &impl ConnectionTrait,
    states: Vec<String>,
    limit: u64,
) -> Result<Vec<Uuid>, DbErr> {
    application::Entity::find()
        .select_only()
        .column(application::Column::Id)
        .filter(application::Column::State.is_in(states))
        .order_by_asc(application::Column::SubmittedAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// Applications still owed a decision whose deadline has passed and that are
/// not yet marked overdue.
pub async fn newly_overdue(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    states: Vec<String>,
) -> Result<Vec<application::Model>, DbErr> {
    application::Entity::find()
        .filter(application::Column::Overdue.eq(false))
        .filter(application::Column::DueOn.lt(today))
        .filter(application::Column::State.is_in(states))
        .order_by_asc(application::Column::DueOn)
        .order_by_asc(application::Column::Id)
        .all(db)
        .await
}

// --- idempotency keys ---

pub async fn idempotency_key(
    db: &impl ConnectionTrait,
    owner: Uuid,
    key: &str,
) -> Result<Option<idempotency_key::Model>, DbErr> {
    idempotency_key::Entity::find_by_id((owner, key.to_string()))
        .one(db)
        .await
}

pub async fn insert_idempotency_keys(
    txn: &impl ConnectionTrait,
    rows: Vec<idempotency_key::Model>,
) -> Result<(), DbErr> {
    let rows = rows
        .into_iter()
        .map(idempotency_key::ActiveModel::from)
        .collect();
    sep_platform::db::insert_all(txn, rows).await
}

/// Rows whose (owner, second column) is one of `pairs`.
fn owned_pairs(
    owner: impl ColumnTrait,
    second: impl ColumnTrait,
    pairs: Vec<(Uuid, String)>,
) -> Condition {
    pairs
        .into_iter()
        .fold(Condition::any(), |any, (id, value)| {
            any.add(Condition::all().add(owner.eq(id)).add(second.eq(value)))
        })
}

/// Removes the keys (owner, key) in one statement.
pub async fn delete_idempotency_keys(
    txn: &impl ConnectionTrait,
    keys: Vec<(Uuid, String)>,
) -> Result<(), DbErr> {
    if keys.is_empty() {
        return Ok(());
    }
    idempotency_key::Entity::delete_many()
        .filter(owned_pairs(
            idempotency_key::Column::OwnerId,
            idempotency_key::Column::Key,
            keys,
        ))
        .exec(txn)
        .await
        .map(|_| ())
}

pub async fn delete_expired_keys(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?
        .rows_affected)
}

// --- attachments ---

pub async fn insert_attachment(
    db: &impl ConnectionTrait,
    row: attachment::Model,
) -> Result<(), DbErr> {
    attachment::ActiveModel::from(row)
        .insert(db)
        .await
        .map(|_| ())
}

pub async fn attachment(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<attachment::Model>, DbErr> {
    attachment::Entity::find_by_id(id).one(db).await
}

/// The files a person uploaded, newest first.
pub async fn attachments_of(
    db: &impl ConnectionTrait,
    owner: Uuid,
) -> Result<Vec<attachment::Model>, DbErr> {
    attachment::Entity::find()
        .filter(attachment::Column::OwnerId.eq(owner))
        .order_by_desc(attachment::Column::CreatedAt)
        .all(db)
        .await
}

pub async fn attachments(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<attachment::Model>, DbErr> {
    // Most applications carry no file: no round trip to ask for none.
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    attachment::Entity::find()
        .filter(attachment::Column::Id.is_in(ids))
        .all(db)
        .await
}

/// Files (application, field, attachment) linked in one statement.
pub async fn link_files(
    txn: &impl ConnectionTrait,
    files: Vec<(Uuid, String, Uuid)>,
) -> Result<(), DbErr> {
    let rows = files
        .into_iter()
        .map(
            |(application_id, field, attachment_id)| application_file::ActiveModel {
                application_id: Set(application_id),
                field: Set(field),
                attachment_id: Set(attachment_id),
            },
        )
        .collect();
    sep_platform::db::insert_all(txn, rows).await
}

pub async fn files_of(
    db: &impl ConnectionTrait,
    application_id: Uuid,
) -> Result<Vec<application_file::Model>, DbErr> {
    application_file::Entity::find()
        .filter(application_file::Column::ApplicationId.eq(application_id))
        .order_by_asc(application_file::Column::Field)
        .all(db)
        .await
}

/// The files of several applications, by application and field.
pub async fn files_of_all(
    db: &impl ConnectionTrait,
    applications: Vec<Uuid>,
) -> Result<Vec<application_file::Model>, DbErr> {
    if applications.is_empty() {
        return Ok(Vec::new());
    }
    application_file::Entity::find()
        .filter(application_file::Column::ApplicationId.is_in(applications))
        .order_by_asc(application_file::Column::ApplicationId)
        .order_by_asc(application_file::Column::Field)
        .all(db)
        .await
}

/// The applications an attachment belongs to (an officer may read it through them).
pub async fn applications_with_file(
    db: &impl ConnectionTrait,
    attachment_id: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    application_file::Entity::find()
        .select_only()
        .column(application_file::Column::ApplicationId)
        .filter(application_file::Column::AttachmentId.eq(attachment_id))
        .into_tuple()
        .all(db)
        .await
}

// --- drafts ---

pub async fn save_draft(db: &impl ConnectionTrait, row: draft::Model) -> Result<(), DbErr> {
    draft::Entity::insert(draft::ActiveModel::from(row))
        .on_conflict(
            OnConflict::columns([draft::Column::OwnerId, draft::Column::ServiceCode])
                .update_columns([
                    draft::Column::FormVersion,
                    draft::Column::Answers,
                    draft::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

pub async fn draft(
    db: &impl ConnectionTrait,
    owner: Uuid,
    service_code: &str,
) -> Result<Option<draft::Model>, DbErr> {
    draft::Entity::find_by_id((owner, service_code.to_string()))
        .one(db)
        .await
}

pub async fn drafts_of(db: &impl ConnectionTrait, owner: Uuid) -> Result<Vec<draft::Model>, DbErr> {
    draft::Entity::find()
        .filter(draft::Column::OwnerId.eq(owner))
        .order_by_desc(draft::Column::UpdatedAt)
        .all(db)
        .await
}

/// Removes the drafts (owner, service) in one statement.
pub async fn delete_drafts(
    db: &impl ConnectionTrait,
    drafts: Vec<(Uuid, String)>,
) -> Result<(), DbErr> {
    if drafts.is_empty() {
        return Ok(());
    }
    draft::Entity::delete_many()
        .filter(owned_pairs(
            draft::Column::OwnerId,
            draft::Column::ServiceCode,
            drafts,
        ))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn delete_draft(
    db: &impl ConnectionTrait,
    owner: Uuid,
    service_code: &str,
) -> Result<bool, DbErr> {
    Ok(
        draft::Entity::delete_by_id((owner, service_code.to_string()))
            .exec(db)
            .await?
            .rows_affected
            > 0,
    )
}
