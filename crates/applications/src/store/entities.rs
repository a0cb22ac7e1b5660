//! The applications context's tables. No other context reads them.

use sep_platform::db::entity;

entity!(application, "applications", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub applicant_id: Uuid,
    pub service_code: String,
    pub form_version: i32,
    pub kind: String,
    pub region_code: Option<String>,
    pub department_code: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub state: String,
    pub priority: String,
    pub answers: String,
    pub fee_kopecks: i64,
    pub submitted_at: DateTimeUtc,
    pub due_on: Date,
    pub overdue: bool,
    pub escalated_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_reason: Option<String>,
    pub updated_at: DateTimeUtc,
    pub version: i32,
});

entity!(counter, "application_counters", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub last: i64,
});

entity!(event, "application_events", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub application_id: Uuid,
    pub at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
    pub actor: String,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub comment: Option<String>,
});

entity!(idempotency_key, "idempotency_keys", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub request_hash: String,
    pub application_id: Uuid,
    pub expires_at: DateTimeUtc,
});

entity!(attachment, "attachments", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub digest: String,
    pub size: i64,
    pub media_type: String,
    pub file_name: String,
    pub created_at: DateTimeUtc,
});

entity!(application_file, "application_files", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub field: String,
    pub attachment_id: Uuid,
});

entity!(draft, "drafts", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service_code: String,
    pub form_version: i32,
    pub answers: String,
    pub updated_at: DateTimeUtc,
});
