//! Changing the catalogue: agencies, departments, officers, services, form
//! versions, routing. Each change commits with its audit record; the caller's
//! door has checked that the actor may administer the catalogue.

use super::views::{self, search_parts};
use super::{AgencyView, DepartmentView, ServiceDetail};
use crate::model::form::FormDefinition;
use crate::{
    model::Code, model::Route, model::RouteInput, model::ServiceInput, model::check_title,
    model::search,
};
use crate::{
    store, store::ANY_REGION, store::category, store::department, store::routing_rule,
    store::service,
};
use sep_identity::model::Role;
use sep_identity::service as identity;
use sep_identity::service::Principal;
use sep_kernel::PayeeInput;
use sep_kernel::i18n::Text;
use sep_kernel::{FieldError, FieldErrors, RegionCode, Rule};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

fn taken(field: &'static str, rule: &'static str) -> AppError {
    AppError::Conflict(vec![FieldError::new(field, Rule(rule))])
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AgencyInput {
    pub code: String,
    pub name: Text,
    /// Where the agency's state fees go; none for an agency that charges none.
    pub payee: PayeeInput,
}

pub async fn create_agency(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    input: AgencyInput,
) -> Result<AgencyView> {
    let actor = crate::authz::may_administer(who)?;
    let mut e = FieldErrors::new();
    let code = e.required("code", &input.code, Code::parse);
    check_title(&mut e, "name", &input.name, 300);
    let payee = if input.payee.is_empty() {
        None
    } else {
        input.payee.check(&mut e)
    };
    let code = e
        .finish(|| code.expect("checked"))
        .map_err(AppError::Invalid)?;
    let payee = payee.as_ref().map(PayeeInput::from).unwrap_or_default();
    let some = |v: &String| (!v.is_empty()).then(|| v.clone());
    if store::agency(&*p.db, code.as_str()).await?.is_some() {
        return Err(taken("code", "agency-exists"));
    }
    let now = p.now();
    let txn = p.db.begin().await?;
    let row = store::agency::Model {
        code: code.to_string(),
        name_ru: input.name.ru.trim().into(),
        name_en: input.name.en.trim().into(),
        created_at: now,
        payee_name: some(&payee.name),
        payee_inn: some(&payee.inn),
        payee_kpp: some(&payee.kpp),
        payee_bik: some(&payee.bik),
        payee_account: some(&payee.account),
    };
    store::insert_agency(&*txn, row.clone()).await?;
    sep_audit::commit(
        txn,
        now,
        client,
        actor,
        "catalog.agency.create",
        ("agency", code.to_string()),
        json!({}),
    )
    .await?;
    Ok(views::agency_view(row, &[]))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DepartmentInput {
    pub code: String,
    pub agency: String,
    pub name: Text,
    pub region_code: String,
}

pub async fn create_department(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    input: DepartmentInput,
) -> Result<DepartmentView> {
    let actor = crate::authz::may_administer(who)?;
    let mut e = FieldErrors::new();
    let code = e.required("code", &input.code, Code::parse);
    let agency = e.required("agency", &input.agency, Code::parse);
    let region = e.required("region_code", &input.region_code, RegionCode::parse);
    check_title(&mut e, "name", &input.name, 300);
    let (code, agency, region) = e
        .finish(|| {
            (
                code.expect("checked"),
                agency.expect("checked"),
                region.expect("checked"),
            )
        })
        .map_err(AppError::Invalid)?;
    if store::agency(&*p.db, agency.as_str()).await?.is_none() {
        return Err(AppError::field("agency", "agency-unknown"));
    }
    if store::department(&*p.db, code.as_str()).await?.is_some() {
        return Err(taken("code", "department-exists"));
    }
    let now = p.now();
    let row = department::Model {
        code: code.to_string(),
        agency_code: agency.to_string(),
        name_ru: input.name.ru.trim().into(),
        name_en: input.name.en.trim().into(),
        region_code: region.to_string(),
        created_at: now,
    };
    let txn = p.db.begin().await?;
    store::insert_department(&*txn, row.clone()).await?;
    sep_audit::commit(
        txn,
        now,
        client,
        actor,
        "catalog.department.create",
        ("department", code.to_string()),
        json!({ "agency": agency.as_str(), "region_code": region.to_string() }),
    )
    .await?;
    Ok(views::department_view(row))
}

/// Puts an officer into a department: the account must exist and hold the officer role.
/// Adds an officer to a department. An officer acts for one agency: the
/// first department makes them its agency's; another agency's is refused.
pub async fn add_officer(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    department: &str,
    user_id: Uuid,
) -> Result<()> {
    let actor = crate::authz::may_administer(who)?;
    let Some(dept) = store::department(&*p.db, department).await? else {
        return Err(AppError::NotFound);
    };
    match sep_identity::service::roles_of(p, user_id).await? {
        None => return Err(AppError::field("user_id", "user-unknown")),
        Some(roles) if !roles.contains(&Role::Officer) => {
            return Err(AppError::field("user_id", "user-not-officer"));
        }
        Some(_) => {}
    }
    let now = p.now();
    let txn = p.db.begin().await?;
    match identity::staff_agency_of(&*txn, user_id).await? {
        Some(a) if a != dept.agency_code => {
            return Err(AppError::field("user_id", "user-other-agency"));
        }
        Some(_) => {}
        None => {
            identity::set_staff_agency(p, &*txn, client, actor, user_id, Some(&dept.agency_code))
                .await?
        }
    }
    store::add_officer(&*txn, department, user_id, now).await?;
    journal_officer(
        txn,
        now,
        client,
        actor,
        "catalog.officer.add",
        department,
        user_id,
    )
    .await?;
    identity::staff_changed();
    Ok(())
}

/// Makes a staff account (an officer or an integrator's system) act for
/// `agency`, or for none. An officer still in another agency's departments
/// is refused: they leave those first.
pub async fn set_staff_agency(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    user_id: Uuid,
    agency: Option<&str>,
) -> Result<()> {
    let actor = crate::authz::may_administer(who)?;
    if let Some(code) = agency
        && store::agency(&*p.db, code).await?.is_none()
    {
        return Err(AppError::field("agency", "agency-unknown"));
    }
    let txn = p.db.begin().await?;
    for d in store::departments_of_officer(&*txn, user_id).await? {
        let theirs = store::department(&*txn, &d).await?.map(|d| d.agency_code);
        if theirs.as_deref() != agency {
            return Err(AppError::field("agency", "officer-in-other-agency"));
        }
    }
    // Identity journals the change with the account's before and after.
    identity::set_staff_agency(p, &*txn, client, actor, user_id, agency).await?;
    txn.commit().await?;
    identity::staff_changed();
    Ok(())
}

pub async fn remove_officer(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    department: &str,
    user_id: Uuid,
) -> Result<()> {
    let actor = crate::authz::may_administer(who)?;
    let now = p.now();
    let txn = p.db.begin().await?;
    if !store::remove_officer(&*txn, department, user_id).await? {
        return Err(AppError::NotFound);
    }
    journal_officer(
        txn,
        now,
        client,
        actor,
        "catalog.officer.remove",
        department,
        user_id,
    )
    .await
}

/// Takes a staff account out of `agency`; not found when it is not that agency's.
pub async fn remove_staff(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    agency: &str,
    user_id: Uuid,
) -> Result<()> {
    crate::authz::may_administer(who)?;
    if identity::staff_agency_of(&*p.db, user_id).await?.as_deref() != Some(agency) {
        return Err(AppError::NotFound);
    }
    set_staff_agency(p, client, who, user_id, None).await
}

/// Creates or renames a category (categories are few and fixed by SPEC; the
/// demo data and operators keep them).
pub async fn ensure_category(p: &Platform, code: &str, name: Text, position: i32) -> Result<()> {
    let code =
        Code::parse(code).map_err(|r| AppError::Invalid(vec![FieldError::new("code", r)]))?;
    store::upsert_category(
        &*p.db,
        category::Model {
            code: code.to_string(),
            name_ru: name.ru,
            name_en: name.en,
            position,
        },
    )
    .await?;
    Ok(())
}

/// Checks routes against the departments that exist: each must be the
/// service agency's own.
async fn check_routes(
    p: &Platform,
    agency: &Code,
    routes: &[Route],
    errors: &mut Vec<FieldError>,
) -> Result<()> {
    for (i, r) in routes.iter().enumerate() {
        match store::department(&*p.db, r.department.as_str()).await? {
            None => errors.push(FieldError::new(
                format!("routes[{i}].department"),
                Rule("department-unknown"),
            )),
            Some(d) if d.agency_code != agency.as_str() => errors.push(FieldError::new(
                format!("routes[{i}].department"),
                Rule("department-other-agency"),
            )),
            Some(_) => {}
        }
    }
    Ok(())
}

fn route_rows(service: &Code, routes: &[Route]) -> Vec<routing_rule::Model> {
    routes
        .iter()
        .map(|r| routing_rule::Model {
            service_code: service.to_string(),
            region_code: r
                .region
                .map_or_else(|| ANY_REGION.to_string(), |c| c.to_string()),
            department_code: r.department.to_string(),
        })
        .collect()
}

/// A new service with its first form version and its routing. Citizens can
/// apply for it as soon as this returns.
/// A service as its administrator sees it: inactive ones included.
pub async fn service_as_administrator(
    p: &Platform,
    who: &Principal,
    code: &str,
) -> Result<ServiceDetail> {
    crate::authz::may_administer(Some(who))?;
    super::service(p, code, true).await
}

pub async fn create_service(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    input: ServiceInput,
) -> Result<ServiceDetail> {
    let actor = crate::authz::may_administer(who)?;
    let mut errors = Vec::new();
    let checked = input.check().map_err(|e| errors.extend(e)).ok();
    let form = input
        .form
        .clone()
        .check()
        .map_err(|e| errors.extend(e))
        .ok();
    let (Some(checked), Some(form)) = (checked, form) else {
        return Err(AppError::Invalid(errors));
    };
    let db = &*p.db;
    let category = store::category(db, checked.category.as_str()).await?;
    if category.is_none() {
        errors.push(FieldError::new("category", Rule("category-unknown")));
    }
    let agency = store::agency(db, checked.agency.as_str()).await?;
    match &agency {
        None => errors.push(FieldError::new("agency", Rule("agency-unknown"))),
        Some(a) => {
            // A fee nobody can be paid to would leave applications stuck.
            if input.fee_kopecks > 0 && super::views::payee_of(a).is_none() {
                errors.push(FieldError::new("fee_kopecks", Rule("fee-needs-payee")));
            }
            check_routes(p, &checked.agency, &checked.routes, &mut errors).await?;
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if store::service(db, checked.code.as_str()).await?.is_some() {
        return Err(taken("code", "service-exists"));
    }
    let (category, agency) = (category.expect("checked"), agency.expect("checked"));
    let keywords: Vec<String> = input
        .keywords
        .iter()
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect();
    let (title, body) = search_parts(
        &input.title,
        &input.summary,
        &keywords,
        &Text::new(agency.name_ru, agency.name_en),
        &Text::new(category.name_ru, category.name_en),
    );
    let now = p.now();
    let row = service::Model {
        code: checked.code.to_string(),
        category_code: checked.category.to_string(),
        agency_code: checked.agency.to_string(),
        title_ru: input.title.ru.trim().into(),
        title_en: input.title.en.trim().into(),
        summary_ru: input.summary.ru.trim().into(),
        summary_en: input.summary.en.trim().into(),
        keywords: keywords.join("\n"),
        fee_kopecks: input.fee_kopecks,
        deadline_days: input.deadline_days as i32,
        level: input.level.as_str().into(),
        kind: input.kind.as_str().into(),
        form_version: 1,
        active: true,
        search_text: search::index_text(&format!("{title} {body}")),
        created_at: now,
        updated_at: now,
    };
    let txn = p.db.begin().await?;
    store::insert_service(&*txn, row).await?;
    store::insert_form(
        &*txn,
        store::service_form::Model {
            service_code: checked.code.to_string(),
            version: 1,
            definition: serde_json::to_string(form.definition())
                .map_err(|e| AppError::Internal(e.into()))?,
            created_at: now,
        },
    )
    .await?;
    store::replace_routes(
        &*txn,
        checked.code.as_str(),
        route_rows(&checked.code, &checked.routes),
    )
    .await?;
    sep_audit::commit(
        txn,
        now,
        client,
        actor,
        "catalog.service.create",
        ("service", checked.code.to_string()),
        json!({ "agency": checked.agency.as_str(), "form_version": 1 }),
    )
    .await?;
    super::service(p, checked.code.as_str(), true).await
}

/// Publishes a new version of a service's form. Applications already made
/// keep the version they were made against.
pub async fn publish_form(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    code: &str,
    definition: FormDefinition,
) -> Result<i32> {
    let actor = crate::authz::may_administer(who)?;
    let form = definition.check().map_err(AppError::Invalid)?;
    let now = p.now();
    let txn = p.db.begin().await?;
    let current = store::service(&*txn, code)
        .await?
        .ok_or(AppError::NotFound)?;
    let version = current.form_version + 1;
    store::insert_form(
        &*txn,
        store::service_form::Model {
            service_code: code.into(),
            version,
            definition: serde_json::to_string(form.definition())
                .map_err(|e| AppError::Internal(e.into()))?,
            created_at: now,
        },
    )
    .await?;
    store::set_form_version(&*txn, code, version, now).await?;
    sep_audit::commit(
        txn,
        now,
        client,
        actor,
        "catalog.form.publish",
        ("service", code.to_string()),
        json!({ "form_version": version }),
    )
    .await?;
    Ok(version)
}

pub async fn set_routes(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    code: &str,
    routes: Vec<RouteInput>,
) -> Result<ServiceDetail> {
    let actor = crate::authz::may_administer(who)?;
    let current = store::service(&*p.db, code)
        .await?
        .ok_or(AppError::NotFound)?;
    // The routing rules are checked as part of a service description.
    let probe = ServiceInput {
        code: current.code.clone(),
        category: current.category_code.clone(),
        agency: current.agency_code.clone(),
        title: Text::new(&current.title_ru, ""),
        summary: Text::default(),
        keywords: Vec::new(),
        fee_kopecks: 0,
        deadline_days: 1,
        level: sep_identity::model::AssuranceLevel::Simplified,
        kind: Default::default(),
        form: FormDefinition { fields: Vec::new() },
        routes,
    };
    let checked = probe.check().map_err(AppError::Invalid)?;
    let mut errors = Vec::new();
    check_routes(p, &checked.agency, &checked.routes, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = p.now();
    let txn = p.db.begin().await?;
    store::replace_routes(&*txn, code, route_rows(&checked.code, &checked.routes)).await?;
    sep_audit::commit(
        txn,
        now,
        client,
        actor,
        "catalog.routes.set",
        ("service", code.to_string()),
        json!({ "routes": checked.routes.len() }),
    )
    .await?;
    super::service(p, code, true).await
}

/// Withdraws a service from the catalogue or brings it back. Applications
/// already made go on.
pub async fn set_active(
    p: &Platform,
    client: &Client,
    who: Option<&Principal>,
    code: &str,
    active: bool,
) -> Result<()> {
    let actor = crate::authz::may_administer(who)?;
    let now = p.now();
    let txn = p.db.begin().await?;
    if !store::set_active(&*txn, code, active, now).await? {
        return Err(AppError::NotFound);
    }
    sep_audit::commit(
        txn,
        now,
        client,
        actor,
        "catalog.service.activate",
        ("service", code.to_string()),
        json!({ "active": active }),
    )
    .await?;
    Ok(())
}

/// Commits a department's change of officers with its journal entry.
async fn journal_officer(
    txn: sep_platform::db::Txn,
    now: chrono::DateTime<chrono::Utc>,
    client: &Client,
    actor: Option<Uuid>,
    action: &'static str,
    department: &str,
    user_id: Uuid,
) -> Result<()> {
    sep_audit::commit(
        txn,
        now,
        client,
        actor,
        action,
        ("department", department.to_string()),
        json!({ "officer": user_id }),
    )
    .await?;
    Ok(())
}
