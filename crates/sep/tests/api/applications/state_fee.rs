//! A service with a state fee: the submitted application waits for the fee,
//! whose charge (with the agency's treasury requisites) appears in the
//! applicant's «Начисления»; paid by card, the application moves on to its
//! department by itself.

use crate::helpers::*;
use crate::payments::api::Scene;
use reqwest::StatusCode;
use sep_identity::model::AssuranceLevel;
use serde_json::{Value, json};
use std::time::Duration;

const SNILS: &str = "112-233-445 95";

#[tokio::test]
async fn an_application_with_a_fee_waits_for_it_and_moves_on_once_paid() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161270001", AssuranceLevel::Standard, SNILS)
        .await;
    let body = json!({
        "service": "egrn-extract",
        "answers": {
            "full_name": "Петрова Анна Сергеевна", "phone": "+79161270001",
            "cadastral_number": "77:01:0001001:1234"
        }
    });
    let r = app.submit(&anna.token, "fee-1", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["state"], "accepted", "the answer does not wait: {a}");
    let a = app
        .until_state(&anna.token, a["id"].as_str().unwrap(), "awaiting_payment")
        .await;
    assert_eq!(a["fee_kopecks"], 35000);
    assert_eq!(a["fee_paid"], false);
    let uin = a["fee_uin"].as_str().expect("the fee's УИН").to_string();
    assert!(uin.starts_with("0355") && uin.len() == 20, "{uin}");
    let id = a["id"].as_str().unwrap().to_string();

    // The charge is the applicant's, payable to Росреестр's treasury account.
    let charges = app.get_auth_json("/api/v1/charges", &anna.token).await;
    let fee = charges
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["uin"] == uin.as_str())
        .unwrap_or_else(|| panic!("{charges}"));
    assert_eq!(fee["kind"], "state_fee");
    assert_eq!(fee["amount_due_kopecks"], 35000);
    assert_eq!(fee["payee_name"], "УФК по г. Москве (Росреестр)");
    assert_eq!(fee["payee_bik"], "004525988");
    assert!(
        fee["purpose"]
            .as_str()
            .unwrap()
            .contains(a["number"].as_str().unwrap()),
        "{fee}"
    );

    // Unpaid, it is not the sweep's business.
    let swept = sep_applications::service::unfinished(&app.platform)
        .await
        .unwrap();
    assert!(!swept.contains(&id.parse().unwrap()), "{swept:?}");

    // Asked again (the sweep), nothing doubles.
    sep_applications::service::advance(&app.platform, id.parse().unwrap())
        .await
        .unwrap();
    let charges = app.get_auth_json("/api/v1/charges", &anna.token).await;
    assert_eq!(charges.as_array().unwrap().len(), 1);

    let s = Scene {
        app,
        payer: anna,
        officer: String::new(),
    };
    let paid = s.pay_fully("fee-pay", &[&uin]).await;
    assert_eq!(paid["amount_kopecks"], 35000);

    // The application moves on by itself once the payment settles.
    let mut state = Value::Null;
    for _ in 0..250 {
        let a = s
            .app
            .get_auth_json(&format!("/api/v1/applications/{id}"), &s.payer.token)
            .await;
        state = a["state"].clone();
        if state == "routed" {
            assert_eq!(a["fee_paid"], true);
            let steps = steps_of(&a);
            assert_eq!(
                steps,
                ["accepted", "checking", "awaiting_payment", "routed"]
            );
            // Had the payment's nudge been lost, the sweep would find it.
            let swept = sep_applications::service::unfinished(&s.app.platform)
                .await
                .unwrap();
            assert!(swept.contains(&id.parse().unwrap()), "{swept:?}");
            s.ledger_verify().await;
            // Steps taken together are chained in the journal one by one.
            let journal = s
                .app
                .raw_text(&format!(
                    "SELECT action FROM audit_events WHERE object_id = '{id}' ORDER BY seq"
                ))
                .await;
            let actions: Vec<_> = journal.iter().flatten().map(String::as_str).collect();
            assert_eq!(
                actions,
                [
                    "application.submit",
                    "application.begin_check",
                    "application.request_payment",
                    "application.route"
                ]
            );
            assert!(matches!(
                sep_audit::verify(&s.app.platform.db).await.unwrap(),
                sep_audit::Verdict::Intact { .. }
            ));
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the application stayed {state}");
}
