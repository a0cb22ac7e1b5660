//! Charges: posted, found by payer, held by one payment at a time, paid or cancelled.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{Condition, ConnectionTrait, QueryOrder, QuerySelect};
use sep_platform::db::entity;

entity!(charge, "charges", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub uin: String,
    pub kind: String,
    pub purpose: String,
    pub payee_name: String,
    pub payee_inn: String,
    pub payee_kpp: String,
    pub payee_bik: String,
    pub payee_account: String,
    pub amount_kopecks: i64,
    pub due_on: Option<Date>,
    pub discount_percent: Option<i16>,
    pub discount_until: Option<Date>,
    pub payer_inn: Option<String>,
    pub payer_inn_lookup: Option<String>,
    pub payer_snils: Option<String>,
    pub payer_snils_lookup: Option<String>,
    pub application_id: Option<Uuid>,
    pub status: String,
    pub posted_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub paid_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
    pub version: i32,
    /// The payment holding it while it is being paid.
    pub intent_id: Option<Uuid>,
    pub payer_licence_lookup: Option<String>,
    pub payer_vehicle_lookup: Option<String>,
    pub agency_code: Option<String>,
});

pub const CHARGE_KEY: sep_platform::db::UniqueKey = sep_platform::db::UniqueKey {
    constraint: "charges_pkey",
    sqlite_columns: "charges.uin",
};

pub async fn insert_charge(db: &impl ConnectionTrait, row: charge::Model) -> Result<(), DbErr> {
    charge::ActiveModel::from(row).insert(db).await.map(|_| ())
}

/// Charges that are not there yet, in one statement; those that are stay
/// as they are.
pub async fn insert_new_charges(
    db: &impl ConnectionTrait,
    rows: Vec<charge::Model>,
) -> Result<(), DbErr> {
    sep_platform::db::insert_new(
        db,
        rows.into_iter().map(charge::ActiveModel::from).collect(),
        sea_orm::sea_query::OnConflict::column(charge::Column::Uin)
            .do_nothing()
            .to_owned(),
    )
    .await
}

pub async fn charge(db: &impl ConnectionTrait, uin: &str) -> Result<Option<charge::Model>, DbErr> {
    charge::Entity::find_by_id(uin).one(db).await
}

/// The charges of whoever has one of these lookup hashes, newest first.
/// Applications whose state-fee charge was paid since `since` (at most 500).
pub async fn paid_fee_applications(
    db: &impl ConnectionTrait,
    since: DateTime<Utc>,
) -> Result<Vec<Uuid>, DbErr> {
    Ok(charge::Entity::find()
        .filter(charge::Column::Kind.eq("state_fee"))
        .filter(charge::Column::Status.eq("paid"))
        .filter(charge::Column::PaidAt.gte(since))
        .filter(charge::Column::ApplicationId.is_not_null())
        .order_by_asc(charge::Column::PaidAt)
        .limit(500)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| c.application_id)
        .collect())
}

/// The keyed hashes a person's charges are found by.
#[derive(Debug, Default)]
pub struct PayerLookups {
    pub inn: Option<String>,
    pub snils: Option<String>,
    pub licences: Vec<String>,
    pub vehicles: Vec<String>,
}

pub async fn charges_of(
    db: &impl ConnectionTrait,
    by: PayerLookups,
) -> Result<Vec<charge::Model>, DbErr> {
    let mut any = Condition::any();
    if let Some(i) = by.inn {
        any = any.add(charge::Column::PayerInnLookup.eq(i));
    }
    if let Some(s) = by.snils {
        any = any.add(charge::Column::PayerSnilsLookup.eq(s));
    }
    if !by.licences.is_empty() {
        any = any.add(charge::Column::PayerLicenceLookup.is_in(by.licences));
    }
    if !by.vehicles.is_empty() {
        any = any.add(charge::Column::PayerVehicleLookup.is_in(by.vehicles));
    }
    if any.is_empty() {
        return Ok(Vec::new());
    }
    charge::Entity::find()
        .filter(any)
        .order_by_desc(charge::Column::CreatedAt)
        .order_by_asc(charge::Column::Uin)
        .all(db)
        .await
}

/// Cancels an unpaid charge; `false` if it is paid, cancelled or gone.
/// Cancels an unpaid charge of `agency` that no application waits on; false
/// when there is none such (the caller reads the row to say why).
pub async fn cancel_charge(
    db: &impl ConnectionTrait,
    uin: &str,
    agency: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = charge::Entity::update_many()
        .col_expr(charge::Column::Status, Expr::value("cancelled"))
        .col_expr(charge::Column::CancelledAt, Expr::value(now))
        .col_expr(charge::Column::CancelReason, Expr::value(reason))
        .col_expr(
            charge::Column::Version,
            Expr::col(charge::Column::Version).add(1),
        )
        .filter(charge::Column::Uin.eq(uin))
        .filter(charge::Column::Status.eq("unpaid"))
        .filter(charge::Column::AgencyCode.eq(agency))
        .filter(charge::Column::Kind.ne("state_fee"))
        .filter(charge::Column::ApplicationId.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Moves the charges matching `which` from status `from` to `to`, with
/// any further column changes; how many moved.
async fn shift(
    db: &impl ConnectionTrait,
    which: Condition,
    from: &str,
    to: &str,
    also: &[(charge::Column, sea_orm::sea_query::SimpleExpr)],
) -> Result<u64, DbErr> {
    let mut q = charge::Entity::update_many()
        .col_expr(charge::Column::Status, Expr::value(to))
        .col_expr(
            charge::Column::Version,
            Expr::col(charge::Column::Version).add(1),
        );
    for (col, value) in also {
        q = q.col_expr(*col, value.clone());
    }
    let r = q
        .filter(which)
        .filter(charge::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Holds an unpaid charge for a payment; `false` if it is not unpaid (paid,
/// being paid by another payment, cancelled) or unknown.
pub async fn hold_charge(
    db: &impl ConnectionTrait,
    uin: &str,
    intent: Uuid,
) -> Result<bool, DbErr> {
    let which = Condition::all().add(charge::Column::Uin.eq(uin));
    let also = [(charge::Column::IntentId, Expr::value(intent))];
    Ok(shift(db, which, "unpaid", "processing", &also).await? == 1)
}

/// Gives back the charges an unsuccessful payment held.
pub async fn release_charges(db: &impl ConnectionTrait, intent: Uuid) -> Result<u64, DbErr> {
    let which = Condition::all().add(charge::Column::IntentId.eq(intent));
    let also = [(charge::Column::IntentId, Expr::value(Option::<Uuid>::None))];
    shift(db, which, "processing", "unpaid", &also).await
}

/// Marks the charges a successful payment held as paid.
pub async fn pay_charges(
    db: &impl ConnectionTrait,
    intent: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let which = Condition::all().add(charge::Column::IntentId.eq(intent));
    let also = [(charge::Column::PaidAt, Expr::value(now))];
    shift(db, which, "processing", "paid", &also).await
}

pub async fn charges_by_uin(
    db: &impl ConnectionTrait,
    uins: Vec<String>,
) -> Result<Vec<charge::Model>, DbErr> {
    charge::Entity::find()
        .filter(charge::Column::Uin.is_in(uins))
        .all(db)
        .await
}
