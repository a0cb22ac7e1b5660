//! Demo charges for the demo citizen (by their ИНН and СНИЛС): a traffic
//! fine in its discount window, the property tax and a utilities bill, so
//! that «Начисления» has something to pay with the sandbox's test cards.

use crate::identity::model::Role;
use crate::identity::service::Principal;
use crate::ids::Uin;
use crate::payments::model::{ChargeInput, ChargeKind};
use crate::payments::service::post_charge;
use crate::platform::Platform;
use crate::platform::client::Client;
use crate::platform::clock::local_date;
use crate::platform::error::AppError;
use chrono::Duration;

struct DemoCharge {
    uin: &'static str,
    kind: ChargeKind,
    purpose: &'static str,
    payee: (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ),
    amount_kopecks: i64,
    discount: bool,
}

const TREASURY_BIK: &str = "004525988";

const CHARGES: &[DemoCharge] = &[
    DemoCharge {
        uin: "1881017726000010101",
        kind: ChargeKind::Fine,
        purpose: "Штраф ГИБДД: превышение скорости на 20–40 км/ч (ч. 2 ст. 12.9 КоАП РФ)",
        payee: (
            "УФК по г. Москве (Госавтоинспекция МВД России)",
            "7706074737",
            "770601001",
            TREASURY_BIK,
            "03100643500000017302",
        ),
        amount_kopecks: 75_000,
        discount: true,
    },
    DemoCharge {
        uin: "1820201177260000123",
        kind: ChargeKind::Tax,
        purpose: "Налог на имущество физических лиц за 2025 год",
        payee: (
            "УФК по г. Москве (ФНС России)",
            "7707329152",
            "770701001",
            TREASURY_BIK,
            "03100643800000017303",
        ),
        amount_kopecks: 412_350,
        discount: false,
    },
    DemoCharge {
        uin: "3300000000000112026",
        kind: ChargeKind::Utility,
        purpose: "Жилищно-коммунальные услуги за октябрь 2026, л/с 7701234567",
        payee: (
            "ГБУ «Жилищник района Тверской»",
            "7707083893",
            "773601001",
            "044525225",
            "30101810400000000225",
        ),
        amount_kopecks: 689_240,
        discount: false,
    },
];

pub async fn seed_charges(p: &Platform) -> anyhow::Result<()> {
    let agency = Principal {
        user_id: uuid::Uuid::nil(),
        session_id: uuid::Uuid::nil(),
        roles: vec![Role::Officer],
    };
    let today = local_date(p.now());
    for c in CHARGES {
        let uin = Uin::with_control_digit(c.uin)
            .map_err(|r| anyhow::anyhow!("demo УИН {}: {r:?}", c.uin))?;
        let (name, inn, kpp, bik, account) = c.payee;
        let input = ChargeInput {
            uin: uin.to_string(),
            payer_inn: Some("500100732259".into()),
            payer_snils: Some("112-233-445 95".into()),
            payer_driver_licence: None,
            payer_vehicle_certificate: None,
            kind: Some(c.kind),
            purpose: c.purpose.into(),
            payee_name: name.into(),
            payee_inn: inn.into(),
            payee_kpp: kpp.into(),
            payee_bik: bik.into(),
            payee_account: account.into(),
            amount_kopecks: c.amount_kopecks,
            due_on: Some(today + Duration::days(30)),
            discount_percent: c.discount.then_some(50),
            discount_until: c.discount.then(|| today + Duration::days(20)),
        };
        match post_charge(p, &Client::system(), &agency, input).await {
            Ok(_) | Err(AppError::Conflict(_)) => {}
            Err(e) => anyhow::bail!("demo charge {}: {e:?}", c.uin),
        }
    }
    Ok(())
}
