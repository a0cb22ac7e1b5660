//! Demo charges for the demo citizen (by their ИНН and СНИЛС): a traffic
//! fine in its discount window, the property tax and a utilities bill, so
//! that «Начисления» has something to pay with the sandbox's test cards.

use chrono::Duration;
use sep_identity::model::Role;
use sep_identity::service::Principal;
use sep_kernel::Uin;
use sep_payments::service::post_charge;
use sep_payments::{model::ChargeInput, model::ChargeKind};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::error::AppError;

struct DemoCharge {
    uin: &'static str,
    kind: ChargeKind,
    purpose: &'static str,
    /// The posting agency; the payee is its own from the catalogue.
    agency: &'static str,
    amount_kopecks: i64,
    discount: bool,
}

const CHARGES: &[DemoCharge] = &[
    DemoCharge {
        uin: "1881017726000010101",
        kind: ChargeKind::Fine,
        purpose: "Штраф ГИБДД: превышение скорости на 20–40 км/ч (ч. 2 ст. 12.9 КоАП РФ)",
        agency: "gibdd",
        amount_kopecks: 75_000,
        discount: true,
    },
    DemoCharge {
        uin: "1820201177260000123",
        kind: ChargeKind::Tax,
        purpose: "Налог на имущество физических лиц за 2025 год",
        agency: "fns",
        amount_kopecks: 412_350,
        discount: false,
    },
    DemoCharge {
        uin: "3300000000000112026",
        kind: ChargeKind::Utility,
        purpose: "Жилищно-коммунальные услуги за октябрь 2026, л/с 7701234567",
        agency: "zhilishnik-tverskoy",
        amount_kopecks: 689_240,
        discount: false,
    },
];

pub async fn seed_charges(p: &Platform) -> anyhow::Result<()> {
    let today = local_date(p.now());
    for c in CHARGES {
        // Each agency's own system posts its charges, as an integrator would.
        let agency = Principal {
            user_id: uuid::Uuid::nil(),
            session_id: uuid::Uuid::nil(),
            roles: vec![Role::Integrator],
            agency: Some(c.agency.into()),
        };
        let uin = Uin::with_control_digit(c.uin)
            .map_err(|r| anyhow::anyhow!("demo УИН {}: {r:?}", c.uin))?;
        let input = ChargeInput {
            uin: uin.to_string(),
            payer_inn: Some("500100732259".into()),
            payer_snils: Some("112-233-445 95".into()),
            kind: Some(c.kind),
            purpose: c.purpose.into(),
            amount_kopecks: c.amount_kopecks,
            due_on: Some(today + Duration::days(30)),
            discount_percent: c.discount.then_some(50),
            discount_until: c.discount.then(|| today + Duration::days(20)),
            ..ChargeInput::default()
        };
        match post_charge(p, &Client::system(), &agency, input).await {
            Ok(_) | Err(AppError::Conflict(_)) => {}
            Err(e) => anyhow::bail!("demo charge {}: {e:?}", c.uin),
        }
    }
    Ok(())
}
