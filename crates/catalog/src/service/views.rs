//! What the catalogue shows: rows turned into views with both languages.

use crate::model::form::FormDefinition;
use crate::{model::ApplicationKind, model::Code};
use crate::{
    store::ANY_REGION, store::agency, store::department, store::routing_rule, store::service,
};
use sea_orm::DbErr;
pub use sep_contracts::catalog::{AgencyRef, ServiceSummary};
use sep_identity::model::AssuranceLevel;
use sep_kernel::PayeeInput;
use sep_kernel::i18n::Text;
use sep_platform::Platform;
use sep_platform::db::stored;
use sep_platform::error::Result;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Serialize)]
pub struct CategoryView {
    pub code: String,
    pub name: Text,
    /// How many active services it holds.
    pub services: usize,
}

#[derive(Debug, Serialize)]
pub struct RouteView {
    /// Absent for the rule that covers every other region.
    pub region_code: Option<String>,
    pub department: String,
}

#[derive(Debug, Serialize)]
pub struct ServiceDetail {
    #[serde(flatten)]
    pub summary: ServiceSummary,
    pub keywords: Vec<String>,
    pub active: bool,
    pub form: FormDefinition,
    pub routes: Vec<RouteView>,
}

#[derive(Debug, Serialize)]
pub struct DepartmentView {
    pub code: String,
    pub agency: String,
    pub name: Text,
    pub region_code: String,
}

#[derive(Debug, Serialize)]
pub struct AgencyView {
    pub code: String,
    pub name: Text,
    pub departments: Vec<DepartmentView>,
    /// The requisites its state fees are paid to.
    pub payee: Option<PayeeInput>,
}

/// Agency and category names, loaded once per request (both lists are short).
pub(super) struct Names {
    agencies: HashMap<String, Text>,
    categories: HashMap<String, (i32, Text)>,
}

impl Names {
    pub(super) async fn load(p: &Platform) -> Result<Self> {
        let db = &*p.db;
        Ok(Self {
            agencies: crate::store::agencies(db)
                .await?
                .into_iter()
                .map(|a| (a.code, Text::new(a.name_ru, a.name_en)))
                .collect(),
            categories: crate::store::categories(db)
                .await?
                .into_iter()
                .map(|c| (c.code, (c.position, Text::new(c.name_ru, c.name_en))))
                .collect(),
        })
    }

    pub(super) fn category_position(&self, code: &str) -> i32 {
        self.categories.get(code).map_or(i32::MAX, |c| c.0)
    }

    fn agency(&self, code: &str) -> Text {
        self.agencies.get(code).cloned().unwrap_or_default()
    }

    fn category(&self, code: &str) -> Text {
        self.categories
            .get(code)
            .map(|c| c.1.clone())
            .unwrap_or_default()
    }
}

pub(super) fn keywords(row: &service::Model) -> Vec<String> {
    row.keywords
        .split('\n')
        .filter(|k| !k.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// The title and the rest of a service as search sees them. The same texts
/// make the index (`search_text`) and the ranking, so that whatever an engine
/// matches, the ranking can score.
pub fn search_parts(
    title: &Text,
    summary: &Text,
    keywords: &[String],
    agency: &Text,
    category: &Text,
) -> (String, String) {
    (
        format!("{} {}", title.ru, title.en),
        format!(
            "{} {} {} {} {} {} {}",
            summary.ru,
            summary.en,
            keywords.join(" "),
            agency.ru,
            agency.en,
            category.ru,
            category.en
        ),
    )
}

pub(super) fn search_document(row: &service::Model, names: &Names) -> (String, String) {
    search_parts(
        &Text::new(&row.title_ru, &row.title_en),
        &Text::new(&row.summary_ru, &row.summary_en),
        &keywords(row),
        &names.agency(&row.agency_code),
        &names.category(&row.category_code),
    )
}

pub(super) fn summary(row: service::Model, names: &Names) -> Result<ServiceSummary, DbErr> {
    Ok(ServiceSummary {
        agency: AgencyRef {
            name: names.agency(&row.agency_code),
            code: row.agency_code,
        },
        code: row.code,
        title: Text::new(row.title_ru, row.title_en),
        summary: Text::new(row.summary_ru, row.summary_en),
        category: row.category_code,
        fee_kopecks: row.fee_kopecks,
        deadline_days: row.deadline_days,
        level: stored("services.level", &row.level, AssuranceLevel::parse)?,
        kind: stored("services.kind", &row.kind, ApplicationKind::parse)?,
        form_version: row.form_version,
    })
}

pub(super) fn detail(
    row: service::Model,
    form: FormDefinition,
    routes: Vec<routing_rule::Model>,
    names: &Names,
) -> Result<ServiceDetail, DbErr> {
    Ok(ServiceDetail {
        keywords: keywords(&row),
        active: row.active,
        form,
        routes: routes
            .into_iter()
            .map(|r| RouteView {
                region_code: (r.region_code != ANY_REGION).then_some(r.region_code),
                department: r.department_code,
            })
            .collect(),
        summary: summary(row, names)?,
    })
}

pub(super) fn terms(row: service::Model) -> Result<super::ServiceTerms, DbErr> {
    Ok(super::ServiceTerms {
        title: Text::new(row.title_ru, row.title_en),
        agency: Code::trusted(row.agency_code),
        fee_kopecks: row.fee_kopecks,
        deadline_days: row.deadline_days.max(0) as u32,
        // An unreadable level must not open a service to everyone.
        level: stored("services.level", &row.level, AssuranceLevel::parse)?,
        kind: stored("services.kind", &row.kind, ApplicationKind::parse)?,
        form_version: row.form_version,
        active: row.active,
        code: Code::trusted(row.code),
    })
}

pub(super) fn department_view(d: department::Model) -> DepartmentView {
    DepartmentView {
        code: d.code,
        agency: d.agency_code,
        name: Text::new(d.name_ru, d.name_en),
        region_code: d.region_code,
    }
}

pub(super) fn agency_view(a: agency::Model, departments: &[department::Model]) -> AgencyView {
    AgencyView {
        departments: departments
            .iter()
            .filter(|d| d.agency_code == a.code)
            .cloned()
            .map(department_view)
            .collect(),
        payee: payee_of(&a),
        code: a.code,
        name: Text::new(a.name_ru, a.name_en),
    }
}

pub(super) fn payee_of(a: &agency::Model) -> Option<PayeeInput> {
    Some(PayeeInput {
        name: a.payee_name.clone()?,
        inn: a.payee_inn.clone()?,
        kpp: a.payee_kpp.clone()?,
        bik: a.payee_bik.clone()?,
        account: a.payee_account.clone()?,
    })
}
