//! The demo catalogue from `catalog.json`, loaded through the same catalogue
//! functions an administrator's request goes through.

use super::{ACCOUNTS, DEMO_PASSWORD};
use sep_catalog::model::ServiceInput;
use sep_catalog::store;
use sep_catalog::{service, service::AgencyInput, service::DepartmentInput};
use sep_identity::service as identity;
use sep_identity::store as accounts;
use sep_identity::{model::AssuranceLevel, model::Role};
use sep_kernel::i18n::Text;
use sep_platform::Platform;
use sep_platform::client::Client;
use serde::Deserialize;

#[derive(Deserialize)]
struct Category {
    code: String,
    name: Text,
    position: i32,
}

#[derive(Deserialize)]
struct Demo {
    categories: Vec<Category>,
    agencies: Vec<AgencyInput>,
    departments: Vec<DepartmentInput>,
    services: Vec<ServiceInput>,
}

/// The demo officer of the role accounts works in the Moscow department of
/// МВД, where the demo citizen's passport and certificate applications go.
/// An officer acts for one agency only; the other departments' own
/// officers show their side.
const DEMO_OFFICER_DEPARTMENT: &str = "mvd-77";

fn load() -> anyhow::Result<Demo> {
    Ok(serde_json::from_str(include_str!("catalog.json"))?)
}

fn fail(what: &str, code: &str, e: sep_platform::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("demo {what} {code}: {e}")
}

/// The catalogue without people: categories, agencies, departments, services.
/// What tests of the catalogue start from.
pub async fn seed_catalog(p: &Platform) -> anyhow::Result<()> {
    let demo = load()?;
    let client = Client::system();
    for c in demo.categories {
        service::ensure_category(p, &c.code, c.name, c.position)
            .await
            .map_err(|e| fail("category", &c.code, e))?;
    }
    for a in demo.agencies {
        if store::agency(&*p.db, &a.code).await?.is_none() {
            let code = a.code.clone();
            service::create_agency(p, &client, None, a)
                .await
                .map_err(|e| fail("agency", &code, e))?;
        }
    }
    for d in demo.departments {
        if store::department(&*p.db, &d.code).await?.is_none() {
            let code = d.code.clone();
            service::create_department(p, &client, None, d)
                .await
                .map_err(|e| fail("department", &code, e))?;
        }
    }
    for s in demo.services {
        if store::service(&*p.db, &s.code).await?.is_none() {
            let code = s.code.clone();
            service::create_service(p, &client, None, s)
                .await
                .map_err(|e| fail("service", &code, e))?;
        }
    }
    Ok(())
}

/// An officer account for every department (and the demo officer in every
/// Moscow one); returns how many accounts it created.
pub async fn seed_officers(p: &Platform) -> anyhow::Result<usize> {
    let client = Client::system();
    let demo_officer = ACCOUNTS
        .iter()
        .find(|a| a.role == Role::Officer)
        .map(|a| a.phone)
        .expect("a demo officer");
    let demo_officer = accounts::user_by_phone(&*p.db, demo_officer).await?;
    let mut created = 0;
    for (i, d) in load()?.departments.into_iter().enumerate() {
        let code = d.code;
        let phone = format!("+7900100{:04}", i + 1);
        let officer = match accounts::user_by_phone(&*p.db, &phone).await? {
            Some(u) => u.id,
            None => {
                created += 1;
                let email = format!("officer-{code}@demo.sep.local");
                let account = identity::NewAccount {
                    phone: &phone,
                    email: &email,
                    password: DEMO_PASSWORD,
                    roles: &[Role::Officer],
                    level: AssuranceLevel::Confirmed,
                };
                identity::create_user(p, &client, None, account)
                    .await
                    .map_err(|e| fail("officer", &code, e))?
                    .id
            }
        };
        let mut members = vec![officer];
        if let Some(u) = &demo_officer
            && code == DEMO_OFFICER_DEPARTMENT
        {
            members.push(u.id);
        }
        let present = store::officers_of(&*p.db, &code).await?;
        for m in members.into_iter().filter(|m| !present.contains(m)) {
            service::add_officer(p, &client, None, &code, m)
                .await
                .map_err(|e| fail("officer", &code, e))?;
        }
    }
    Ok(created)
}
