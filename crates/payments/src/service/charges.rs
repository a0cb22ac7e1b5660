use crate::authz;
use crate::model::charge::Payee;
use crate::{
    model::Charge, model::ChargeInput, model::ChargeKind, model::Discount, model::PayeeInput,
    model::charge,
};
use crate::{store, store::CHARGE_KEY, store::charge as row};
use chrono::{DateTime, NaiveDate, Utc};
use sep_identity::{service as identity, service::Principal};
use sep_kernel::{
    DriverLicence, FieldError, FieldErrors, Inn, Kopecks, Snils, Uin, VehicleCertificate,
};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::db::taken_or;
use sep_platform::{error::AppError, error::Result};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

fn inn_lookup(p: &Platform, inn: &Inn) -> String {
    p.secrets.mac("charges.payer_inn", inn.as_str().as_bytes())
}

fn snils_lookup(p: &Platform, snils: &Snils) -> String {
    p.secrets
        .mac("charges.payer_snils", snils.digits().as_bytes())
}

pub(super) fn licence_lookup(p: &Platform, l: &DriverLicence) -> String {
    p.secrets
        .mac("charges.payer_licence", l.compact().as_bytes())
}

pub(super) fn vehicle_lookup(p: &Platform, v: &VehicleCertificate) -> String {
    p.secrets
        .mac("charges.payer_vehicle", v.compact().as_bytes())
}

/// The payee an agency's charges are paid to, checked; a refusal when the
/// catalogue names none (the agency takes no money through СЭП).
async fn payee_of_agency(p: &Platform, agency: &str) -> Result<Payee> {
    let typed = sep_contracts::catalog::catalogue(p)
        .payee_of(p, agency)
        .await?
        .ok_or_else(|| AppError::conflict("agency-no-payee", vec![]))?;
    let mut e = FieldErrors::new();
    typed.check(&mut e).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "the catalogue payee of agency {agency} is not valid: {e:?}"
        ))
    })
}

#[derive(Debug, Serialize)]
pub struct ChargeView {
    pub uin: String,
    pub kind: String,
    pub purpose: String,
    pub payee_name: String,
    pub payee_inn: String,
    pub payee_kpp: String,
    pub payee_bik: String,
    pub payee_account: String,
    /// The charge as posted.
    pub amount_kopecks: i64,
    /// What is to be paid today (after any discount).
    pub amount_due_kopecks: i64,
    pub discount_percent: Option<i16>,
    pub discount_until: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

fn view(row: row::Model, today: NaiveDate) -> ChargeView {
    // A paid or cancelled charge shows what it was posted for.
    let discount = match (row.discount_percent, row.discount_until) {
        (Some(pct), Some(until)) if row.status == "unpaid" => Some(Discount {
            percent: pct.clamp(0, 100) as u8,
            until,
        }),
        _ => None,
    };
    ChargeView {
        amount_due_kopecks: charge::due(Kopecks(row.amount_kopecks), discount, today).0,
        uin: row.uin,
        kind: row.kind,
        purpose: row.purpose,
        payee_name: row.payee_name,
        payee_inn: row.payee_inn,
        payee_kpp: row.payee_kpp,
        payee_bik: row.payee_bik,
        payee_account: row.payee_account,
        amount_kopecks: row.amount_kopecks,
        discount_percent: row.discount_percent,
        discount_until: row.discount_until,
        due_on: row.due_on,
        status: row.status,
        created_at: row.created_at,
        paid_at: row.paid_at,
    }
}

fn kind_name(k: ChargeKind) -> &'static str {
    match k {
        ChargeKind::Tax => "tax",
        ChargeKind::Fine => "fine",
        ChargeKind::StateFee => "state_fee",
        ChargeKind::Utility => "utility",
    }
}

/// The stored form of a checked charge: the payer's identifiers sealed,
/// with keyed hashes to find them by.
pub(super) struct Origin<'a> {
    pub agency: &'a str,
    pub posted_by: Option<Uuid>,
    pub application_id: Option<Uuid>,
}

pub(super) fn charge_row(
    p: &Platform,
    c: &Charge,
    origin: Origin<'_>,
    now: DateTime<Utc>,
) -> row::Model {
    let uin = c.uin.to_string();
    row::Model {
        uin: uin.clone(),
        kind: kind_name(c.kind).into(),
        purpose: c.purpose.clone(),
        payee_name: c.payee.name.clone(),
        payee_inn: c.payee.inn.to_string(),
        payee_kpp: c.payee.kpp.as_str().into(),
        payee_bik: c.payee.bik.as_str().into(),
        payee_account: c.payee.account.as_str().into(),
        amount_kopecks: c.amount.0,
        due_on: c.due_on,
        discount_percent: c.discount.map(|d| i16::from(d.percent)),
        discount_until: c.discount.map(|d| d.until),
        payer_inn: c.payer.inn.as_ref().map(|i| {
            p.secrets
                .seal(&format!("charges.payer_inn/{uin}"), i.as_str())
        }),
        payer_inn_lookup: c.payer.inn.as_ref().map(|i| inn_lookup(p, i)),
        payer_snils: c.payer.snils.as_ref().map(|s| {
            p.secrets
                .seal(&format!("charges.payer_snils/{uin}"), s.digits())
        }),
        payer_snils_lookup: c.payer.snils.as_ref().map(|s| snils_lookup(p, s)),
        // Only the keyed hash: a licence or СТС is needed to find the charge,
        // never to show it.
        payer_licence_lookup: c
            .payer
            .driver_licence
            .as_ref()
            .map(|l| licence_lookup(p, l)),
        payer_vehicle_lookup: c
            .payer
            .vehicle_certificate
            .as_ref()
            .map(|v| vehicle_lookup(p, v)),
        application_id: origin.application_id,
        status: "unpaid".into(),
        posted_by: origin.posted_by,
        created_at: now,
        paid_at: None,
        cancelled_at: None,
        cancel_reason: None,
        version: 0,
        intent_id: None,
        agency_code: Some(origin.agency.to_string()),
    }
}

/// Posts a charge for the poster's agency, paid to that agency's payee from
/// the catalogue: requisites left blank are filled in, others must match.
pub async fn post_charge(
    p: &Platform,
    client: &Client,
    who: &Principal,
    mut input: ChargeInput,
) -> Result<ChargeView> {
    let agency = authz::charging_agency(who)?.to_string();
    let payee = payee_of_agency(p, &agency).await?;
    if input.payee().is_empty() {
        input.set_payee(&PayeeInput::from(&payee));
    }
    let mut c = input.check().map_err(AppError::Invalid)?;
    if !c.payee.same_account(&payee) {
        return Err(AppError::field("payee_account", "payee-not-agency"));
    }
    c.payee = payee;
    let now = p.now();
    let uin = c.uin.to_string();
    let origin = Origin {
        agency: &agency,
        posted_by: Some(who.user_id),
        application_id: None,
    };
    let row = charge_row(p, &c, origin, now);
    let txn = p.db.begin().await?;
    store::insert_charge(&*txn, row.clone())
        .await
        .map_err(|e| taken_or(e, &CHARGE_KEY, "uin", "uin-taken"))?;
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "charge.post",
        ("charge", uin),
        json!({ "kind": row.kind, "amount_kopecks": row.amount_kopecks, "agency": agency }),
    )
    .await?;
    Ok(view(row, local_date(now)))
}

/// Anyone may look a charge up by its УИН (that is how paper receipts work);
/// the payer's identity is never shown.
pub async fn charge(p: &Platform, uin: &str) -> Result<ChargeView> {
    let uin = Uin::parse(uin).map_err(|r| AppError::Invalid(vec![FieldError::new("uin", r)]))?;
    let row = store::charge(&*p.db, uin.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(view(row, local_date(p.now())))
}

/// «Начисления»: the charges found by the ИНН and СНИЛС of the person's profile.
pub async fn my_charges(p: &Platform, who: &Principal) -> Result<Vec<ChargeView>> {
    let profile = identity::get_profile(p, who, who.user_id).await?;
    let inn = Inn::parse(&profile.fields.inn)
        .ok()
        .map(|i| inn_lookup(p, &i));
    let snils = Snils::parse(&profile.fields.snils)
        .ok()
        .map(|s| snils_lookup(p, &s));
    let documents = store::payer_documents(&*p.db, who.user_id).await?;
    let of_kind = |kind: &str| {
        documents
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.lookup.clone())
            .collect()
    };
    let by = store::PayerLookups {
        inn,
        snils,
        licences: of_kind("driver_licence"),
        vehicles: of_kind("vehicle_certificate"),
    };
    let today = local_date(p.now());
    Ok(store::charges_of(&*p.db, by)
        .await?
        .into_iter()
        .map(|r| view(r, today))
        .collect())
}

/// Cancels an unpaid charge of the canceller's own agency; state fees are
/// never cancelled by hand.
pub async fn cancel_charge(
    p: &Platform,
    client: &Client,
    who: &Principal,
    uin: &str,
    reason: &str,
) -> Result<ChargeView> {
    let agency = authz::charging_agency(who)?.to_string();
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", "required"));
    }
    let uin = Uin::parse(uin).map_err(|r| AppError::Invalid(vec![FieldError::new("uin", r)]))?;
    let now = p.now();
    let txn = p.db.begin().await?;
    if !store::cancel_charge(&*txn, uin.as_str(), &agency, reason, now).await? {
        let Some(c) = store::charge(&*txn, uin.as_str()).await? else {
            return Err(AppError::NotFound);
        };
        if let Some(refusal) = authz::cancel_refusal(&agency, &c) {
            return Err(refusal);
        }
        return Err(AppError::conflict(
            "charge-not-unpaid",
            vec![("status", format!("charge-status-{}", c.status))],
        ));
    }
    sep_audit::commit(
        txn,
        now,
        client,
        Some(who.user_id),
        "charge.cancel",
        ("charge", uin.to_string()),
        json!({ "reason": reason, "agency": agency }),
    )
    .await?;
    charge(p, uin.as_str()).await
}
