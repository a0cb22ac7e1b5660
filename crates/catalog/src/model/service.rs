//! What a service is: its code, category, agency, texts, fee, deadline,
//! required account level, kind of application, form and routing rules.

use super::form::FormDefinition;
use sep_identity::model::AssuranceLevel;
use sep_kernel::i18n::Text;
use sep_kernel::{FieldError, FieldErrors, RegionCode, Rule};
use serde::{Deserialize, Serialize};

pub use sep_contracts::catalog::ApplicationKind;
pub use sep_kernel::Code;

/// The largest fee a service may charge: 10 million roubles, in kopecks.
pub const MAX_FEE_KOPECKS: i64 = 1_000_000_000;
pub const MAX_DEADLINE_DAYS: u32 = 365;

/// A routing rule as written: applications from `region` (any region when
/// absent) go to `department`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RouteInput {
    pub region_code: Option<String>,
    pub department: String,
}

/// A new service as an administrator describes it (API body, demo file).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceInput {
    pub code: String,
    pub category: String,
    pub agency: String,
    pub title: Text,
    #[serde(default)]
    pub summary: Text,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub fee_kopecks: i64,
    pub deadline_days: u32,
    pub level: AssuranceLevel,
    #[serde(default)]
    pub kind: ApplicationKind,
    pub form: FormDefinition,
    pub routes: Vec<RouteInput>,
}

/// A route after parsing: `None` is the fallback for every other region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub region: Option<RegionCode>,
    pub department: Code,
}

/// The parts of a [`ServiceInput`] that can be checked without the database.
#[derive(Debug, Clone)]
pub struct CheckedService {
    pub code: Code,
    pub category: Code,
    pub agency: Code,
    pub routes: Vec<Route>,
}

pub fn check_title(e: &mut FieldErrors, field: &'static str, t: &Text, max: usize) {
    if t.ru.trim().is_empty() {
        e.add(format!("{field}.ru"), Rule("required"));
    }
    if t.ru.chars().count() > max || t.en.chars().count() > max {
        e.add(field, Rule("text-too-long"));
    }
}

impl ServiceInput {
    pub fn check(&self) -> Result<CheckedService, Vec<FieldError>> {
        let mut e = FieldErrors::new();
        let code = e.required("code", &self.code, Code::parse);
        let category = e.required("category", &self.category, Code::parse);
        let agency = e.required("agency", &self.agency, Code::parse);
        check_title(&mut e, "title", &self.title, 200);
        if self.summary.ru.chars().count() > 2000 || self.summary.en.chars().count() > 2000 {
            e.add("summary", Rule("text-too-long"));
        }
        if self.keywords.len() > 50 || self.keywords.iter().any(|k| k.chars().count() > 60) {
            e.add("keywords", Rule("text-too-long"));
        }
        if !(0..=MAX_FEE_KOPECKS).contains(&self.fee_kopecks) {
            e.add("fee_kopecks", Rule("fee-range"));
        }
        if !(1..=MAX_DEADLINE_DAYS).contains(&self.deadline_days) {
            e.add("deadline_days", Rule("deadline-range"));
        }
        let mut routes = Vec::new();
        for (i, r) in self.routes.iter().enumerate() {
            let region = e.optional(
                format!("routes[{i}].region_code"),
                r.region_code.as_deref(),
                RegionCode::parse,
            );
            let department = e.required(
                format!("routes[{i}].department"),
                &r.department,
                Code::parse,
            );
            if let Some(department) = department {
                if routes.iter().any(|x: &Route| x.region == region) {
                    e.add(format!("routes[{i}].region_code"), Rule("route-duplicate"));
                }
                routes.push(Route { region, department });
            }
        }
        if !routes.iter().any(|r| r.region.is_none()) {
            // Without a fallback an applicant from an unlisted region could not apply.
            e.add("routes", Rule("route-default-missing"));
        }
        e.finish(|| CheckedService {
            code: code.expect("checked"),
            category: category.expect("checked"),
            agency: agency.expect("checked"),
            routes,
        })
    }
}

/// Which department handles an application from `region`: the region's own
/// rule, else the fallback.
pub fn route_for(routes: &[Route], region: Option<RegionCode>) -> Option<&Code> {
    routes
        .iter()
        .find(|r| r.region.is_some() && r.region == region)
        .or_else(|| routes.iter().find(|r| r.region.is_none()))
        .map(|r| &r.department)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert!(Code::parse("foreign-passport").is_ok());
        for bad in [
            "",
            "a",
            "Passport",
            "foreign_passport",
            "-x",
            "x-",
            "a--b",
            "1abc",
        ] {
            assert_eq!(Code::parse(bad), Err(Rule("code-format")), "{bad}");
        }
    }

    #[test]
    fn routing_prefers_the_region_then_the_fallback() {
        let code = |s: &str| Code::parse(s).unwrap();
        let routes = vec![
            Route {
                region: None,
                department: code("mvd-moscow"),
            },
            Route {
                region: Some(RegionCode::parse("78").unwrap()),
                department: code("mvd-spb"),
            },
        ];
        let spb = RegionCode::parse("78").ok();
        let kazan = RegionCode::parse("16").ok();
        assert_eq!(route_for(&routes, spb).unwrap().as_str(), "mvd-spb");
        assert_eq!(route_for(&routes, kazan).unwrap().as_str(), "mvd-moscow");
        assert_eq!(route_for(&routes, None).unwrap().as_str(), "mvd-moscow");
        assert_eq!(route_for(&routes[1..], kazan), None);
    }
}
