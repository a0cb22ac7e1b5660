//! Demo data: one account per role, with a filled profile for the citizen;
//! the catalogue (categories, agencies, departments in three regions, services
//! with forms), an officer for every department and the demo citizen's
//! unpaid charges and a few issued certificates.
//! Idempotent: whatever exists (an account by phone, a code) is left as it is.

mod catalog;
mod charges;
mod documents;

pub use catalog::{seed_catalog, seed_officers};

use sep_identity::service;
use sep_identity::store;
use sep_identity::{model::AssuranceLevel, model::ProfileInput, model::Role};
use sep_platform::Platform;
use sep_platform::client::Client;

/// Shown in the README; good enough for the policy, public by design.
pub const DEMO_PASSWORD: &str = "Demo-Sep-2026";

pub struct DemoAccount {
    pub role: Role,
    pub phone: &'static str,
    pub email: &'static str,
    pub level: AssuranceLevel,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        role: Role::Citizen,
        phone: "+79000000001",
        email: "citizen@demo.sep.local",
        level: AssuranceLevel::Confirmed,
    },
    DemoAccount {
        role: Role::Representative,
        phone: "+79000000002",
        email: "representative@demo.sep.local",
        level: AssuranceLevel::Confirmed,
    },
    DemoAccount {
        role: Role::Officer,
        phone: "+79000000003",
        email: "officer@demo.sep.local",
        level: AssuranceLevel::Confirmed,
    },
    DemoAccount {
        role: Role::Support,
        phone: "+79000000004",
        email: "support@demo.sep.local",
        level: AssuranceLevel::Confirmed,
    },
    DemoAccount {
        role: Role::Admin,
        phone: "+79000000005",
        email: "admin@demo.sep.local",
        level: AssuranceLevel::Confirmed,
    },
];

/// Creates what is missing; returns how many accounts it created.
pub async fn seed(p: &Platform) -> anyhow::Result<usize> {
    let created = seed_accounts(p).await?;
    seed_catalog(p).await?;
    charges::seed_charges(p).await?;
    ensure_pki(p)
        .await
        .map_err(|e| anyhow::anyhow!("demo certificates: {e:?}"))?;
    documents::seed_documents(p).await?;
    Ok(created + seed_officers(p).await?)
}

/// The demo certification authority and a signing certificate for every
/// agency in the catalogue that has none; returns how many it issued.
pub async fn ensure_pki(p: &Platform) -> sep_platform::error::Result<usize> {
    let agencies: Vec<_> = sep_catalog::service::agencies(p)
        .await?
        .into_iter()
        .map(|a| sep_signatures::service::IssuingAgency {
            inn: a.payee.as_ref().map(|payee| payee.inn.to_string()),
            code: a.code,
            name: a.name.ru,
        })
        .collect();
    sep_signatures::service::ensure_demo_pki(p, &agencies).await
}

async fn seed_accounts(p: &Platform) -> anyhow::Result<usize> {
    let client = Client::system();
    let mut created = 0;
    for a in ACCOUNTS {
        if store::user_by_phone(&*p.db, a.phone).await?.is_some() {
            continue;
        }
        let account = service::NewAccount {
            phone: a.phone,
            email: a.email,
            password: DEMO_PASSWORD,
            roles: &[a.role],
            level: a.level,
        };
        let user = service::create_user(p, &client, None, account)
            .await
            .map_err(|e| anyhow::anyhow!("demo {}: {e}", a.role))?;
        created += 1;
        if a.role == Role::Citizen {
            let who = service::Principal {
                user_id: user.id,
                session_id: uuid::Uuid::nil(),
                roles: vec![Role::Citizen],
                agency: None,
            };
            let profile = ProfileInput {
                last_name: "Иванов".into(),
                first_name: "Иван".into(),
                patronymic: "Иванович".into(),
                birth_date: "15.04.1985".into(),
                inn: "500100732259".into(),
                snils: "112-233-445 95".into(),
                passport_series: "45 08".into(),
                passport_number: "123456".into(),
                postcode: "101000".into(),
                region_code: "77".into(),
                address: "г. Москва, ул. Тверская, д. 1, кв. 1".into(),
            };
            service::update_profile(p, &client, &who, user.id, profile)
                .await
                .map_err(|e| anyhow::anyhow!("demo profile: {e}"))?;
        }
    }
    Ok(created)
}
