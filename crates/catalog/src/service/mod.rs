//! Catalogue use cases: browse and search services, read a service with its
//! form, route an application; and, for administrators, create services,
//! publish form versions, set routing, manage agencies, departments and
//! their officers. The API, the pages, the command line, the demo data and
//! other contexts call these same functions.

mod admin;
mod views;

pub use admin::{
    AgencyInput, DepartmentInput, add_officer, create_agency, create_department, create_service,
    ensure_category, publish_form, remove_officer, remove_staff, service_as_administrator,
    set_active, set_routes, set_staff_agency,
};
pub use views::{
    AgencyRef, AgencyView, CategoryView, DepartmentView, RouteView, ServiceDetail, ServiceSummary,
};

use super::model::form::Form;
use super::model::{Code, Route, search};
use super::store::{self, ANY_REGION};
pub use sep_contracts::catalog::{FeePayee, ServiceTerms};
use sep_kernel::PayeeInput;
use sep_kernel::RegionCode;
use sep_platform::Platform;
use sep_platform::{error::AppError, error::Result};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use uuid::Uuid;

pub async fn categories(p: &Platform) -> Result<Vec<CategoryView>> {
    let services = store::services(&*p.db, None, false).await?;
    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in &services {
        *count.entry(s.category_code.as_str()).or_default() += 1;
    }
    Ok(store::categories(&*p.db)
        .await?
        .into_iter()
        .map(|c| CategoryView {
            services: count.get(c.code.as_str()).copied().unwrap_or(0),
            name: sep_kernel::i18n::Text::new(c.name_ru, c.name_en),
            code: c.code,
        })
        .collect())
}

/// Services matching `query` (all of its words, in any form), best first;
/// with an empty query, every active service in catalogue order.
pub async fn search(
    p: &Platform,
    query: &str,
    category: Option<&str>,
) -> Result<Vec<ServiceSummary>> {
    let terms = search::terms(query);
    let rows = if query.trim().is_empty() {
        store::services(&*p.db, category, false).await?
    } else if terms.is_empty() {
        Vec::new()
    } else {
        let codes = store::matching_codes(&p.db, &terms).await?;
        let mut rows = store::services_by_codes(&*p.db, codes).await?;
        rows.retain(|r| category.is_none_or(|c| r.category_code == c));
        rows
    };
    let names = views::Names::load(p).await?;
    let mut found: Vec<(u32, ServiceSummary)> = Vec::new();
    for row in rows {
        let score = if terms.is_empty() {
            0
        } else {
            let (title, body) = views::search_document(&row, &names);
            match search::score(&terms, &title, &body) {
                Some(score) => score,
                None => continue,
            }
        };
        found.push((score, views::summary(row, &names)?));
    }
    if terms.is_empty() {
        let position = |s: &ServiceSummary| names.category_position(&s.category);
        found.sort_by(|a, b| {
            (position(&a.1), &a.1.title.ru, &a.1.code).cmp(&(
                position(&b.1),
                &b.1.title.ru,
                &b.1.code,
            ))
        });
    } else {
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
    }
    Ok(found.into_iter().map(|(_, s)| s).collect())
}

/// A service with its current form and routing; an inactive one only for
/// whoever may administer the catalogue.
pub async fn service(p: &Platform, code: &str, with_inactive: bool) -> Result<ServiceDetail> {
    let row = store::service(&*p.db, code)
        .await?
        .filter(|s| s.active || with_inactive)
        .ok_or(AppError::NotFound)?;
    let form = form_definition(p, code, row.form_version).await?;
    let routes = store::routes(&*p.db, code).await?;
    let names = views::Names::load(p).await?;
    Ok(views::detail(row, form, routes, &names)?)
}

pub async fn terms(p: &Platform, code: &str) -> Result<Option<ServiceTerms>> {
    Ok(store::service(&*p.db, code)
        .await?
        .map(views::terms)
        .transpose()?)
}

async fn form_definition(
    p: &Platform,
    code: &str,
    version: i32,
) -> Result<super::model::form::FormDefinition> {
    let row = store::form(&*p.db, code, version)
        .await?
        .ok_or_else(|| anyhow::anyhow!("service {code} has no form version {version}"))?;
    Ok(serde_json::from_str(&row.definition)
        .map_err(|e| anyhow::anyhow!("form {code} v{version}: {e}"))?)
}

/// A service's form of one version, ready to validate answers. A definition
/// is checked and its patterns compiled once per process: the compiled form
/// is shared, keyed by the stored text itself (so a different database with
/// other forms can never be served a stale one).
pub async fn form(p: &Platform, code: &str, version: i32) -> Result<Arc<Form>> {
    static CHECKED: LazyLock<Mutex<HashMap<String, Arc<Form>>>> = LazyLock::new(Default::default);
    let row = store::form(&*p.db, code, version)
        .await?
        .ok_or_else(|| anyhow::anyhow!("service {code} has no form version {version}"))?;
    if let Some(f) = CHECKED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&row.definition)
    {
        return Ok(f.clone());
    }
    let definition: super::model::form::FormDefinition = serde_json::from_str(&row.definition)
        .map_err(|e| anyhow::anyhow!("form {code} v{version}: {e}"))?;
    let form = Arc::new(definition.check().map_err(|e| {
        AppError::Internal(anyhow::anyhow!(
            "stored form {code} v{version} no longer checks: {e:?}"
        ))
    })?);
    CHECKED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(row.definition, form.clone());
    Ok(form)
}

/// The department that handles an application for `service` from `region`.
pub async fn route(p: &Platform, service: &str, region: Option<RegionCode>) -> Result<Code> {
    let routes: Vec<Route> = store::routes(&*p.db, service)
        .await?
        .into_iter()
        .map(|r| Route {
            region: (r.region_code != ANY_REGION)
                .then(|| RegionCode::parse(&r.region_code).ok())
                .flatten(),
            department: Code::trusted(r.department_code),
        })
        .collect();
    super::model::route_for(&routes, region)
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("service {service} has no route")))
}

/// Who the state fee of `service` is paid to: its agency's code and payee,
/// with the service's Russian title for the purpose of payment; `None` when
/// its agency named no payee.
pub async fn fee_payee(p: &Platform, service: &str) -> Result<Option<FeePayee>> {
    let Some(row) = store::service(&*p.db, service).await? else {
        return Ok(None);
    };
    let Some(agency) = store::agency(&*p.db, &row.agency_code).await? else {
        return Ok(None);
    };
    Ok(views::payee_of(&agency).map(|payee| FeePayee {
        agency: row.agency_code,
        payee,
        service_title: row.title_ru,
    }))
}

/// The payee an agency's charges go to, if its requisites are complete.
pub async fn payee_of(p: &Platform, agency: &str) -> Result<Option<PayeeInput>> {
    Ok(store::agency(&*p.db, agency)
        .await?
        .and_then(|a| views::payee_of(&a)))
}

pub async fn agency_names(p: &Platform) -> Result<std::collections::HashMap<String, String>> {
    Ok(store::agencies(&*p.db)
        .await?
        .into_iter()
        .map(|a| (a.code, a.name_ru))
        .collect())
}

/// An agency's official name (Russian: documents print it).
pub async fn agency_name(p: &Platform, code: &str) -> Result<String> {
    store::agency(&*p.db, code)
        .await?
        .map(|a| a.name_ru)
        .ok_or(AppError::NotFound)
}

/// The departments an officer works in.
pub async fn departments_of_officer(p: &Platform, user: Uuid) -> Result<Vec<String>> {
    Ok(store::departments_of_officer(&*p.db, user).await?)
}

pub async fn officers_of(p: &Platform, department: &str) -> Result<Vec<Uuid>> {
    Ok(store::officers_of(&*p.db, department).await?)
}

pub async fn agencies(p: &Platform) -> Result<Vec<AgencyView>> {
    let departments = store::departments(&*p.db, None).await?;
    Ok(store::agencies(&*p.db)
        .await?
        .into_iter()
        .map(|a| views::agency_view(a, &departments))
        .collect())
}

pub async fn department(p: &Platform, code: &str) -> Result<Option<DepartmentView>> {
    Ok(store::department(&*p.db, code)
        .await?
        .map(views::department_view))
}

/// Every service, withdrawn ones too, with whether it is active: for administrators.
pub async fn all_services(p: &Platform) -> Result<Vec<(ServiceSummary, bool)>> {
    let names = views::Names::load(p).await?;
    store::services(&*p.db, None, true)
        .await?
        .into_iter()
        .map(|row| {
            let active = row.active;
            Ok((views::summary(row, &names)?, active))
        })
        .collect::<Result<_>>()
}
