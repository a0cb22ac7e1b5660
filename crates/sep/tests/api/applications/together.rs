//! Submissions whose follow-up runs together (one dispatch takes up to 32
//! events, one pass advances their applications in one transaction): each
//! still ends in its own state, with its own charge, history, notice and
//! journal lines, and one that cannot go on does not hold up the others.

use crate::helpers::*;
use reqwest::StatusCode;
use sep_identity::model::AssuranceLevel;
use serde_json::{Value, json};

const SNILS: &str = "112-233-445 95";

fn deduction(file: &Value) -> Value {
    json!({
        "service": "tax-deduction-property",
        "answers": {
            "full_name": "Петрова Анна Сергеевна", "birth_date": "1985-03-05",
            "snils": SNILS, "phone": "89165551234", "inn": "500100732259",
            "year": "2025", "amount": "4 500 000", "bank_account": "40817810099910004312",
            "contract": file["id"]
        }
    })
}

fn extract(n: usize) -> Value {
    json!({
        "service": "egrn-extract",
        "answers": {
            "full_name": "Петрова Анна Сергеевна", "phone": "+79161280001",
            "cadastral_number": format!("77:01:0001001:{n}")
        }
    })
}

#[tokio::test]
async fn submissions_followed_up_together_each_end_on_their_own() {
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161280001", AssuranceLevel::Confirmed, SNILS)
        .await;
    let pdf = |tag: &str| format!("%PDF-1.7\n% {tag}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    let intact = json_of(
        app.upload(&anna.token, "договор.pdf", pdf("a").into())
            .await,
    )
    .await;
    let lost_bytes = pdf("b");
    let lost = json_of(
        app.upload(&anna.token, "скан.pdf", lost_bytes.clone().into())
            .await,
    )
    .await;
    // The second file's stored bytes go missing before the check reads them.
    let digest = sep_platform::blobs::digest(lost_bytes.as_bytes());
    let blob = app
        .data_dir
        .join("blobs")
        .join(&digest[..2])
        .join(&digest[2..4])
        .join(&digest);
    std::fs::remove_file(&blob).expect("the blob is where the store keeps it");

    let mut bodies = vec![deduction(&intact), deduction(&lost)];
    bodies.extend((1..=4).map(extract));
    bodies.push(crate::applications::api::tax_statement("500100732259"));
    // All at once, so that their events wait in the outbox together.
    let sent = futures::future::join_all(bodies.iter().enumerate().map(|(i, body)| {
        app.http
            .post(app.url("/api/v1/applications"))
            .bearer_auth(&anna.token)
            .header("idempotency-key", format!("together-{i}"))
            .json(body)
            .send()
    }))
    .await;
    let mut ids = Vec::new();
    let mut numbers = Vec::new();
    for r in sent {
        let r = r.expect("request");
        assert_eq!(r.status(), StatusCode::CREATED);
        let a = json_of(r).await;
        ids.push(a["id"].as_str().unwrap().to_string());
        numbers.push(a["number"].as_str().unwrap().to_string());
    }
    // Written together or not, each has a number of its own, with no gap.
    let mut seqs: Vec<u64> = numbers
        .iter()
        .map(|n| n.split('-').nth(1).unwrap().parse().unwrap())
        .collect();
    seqs.sort();
    assert_eq!(
        seqs,
        (seqs[0]..seqs[0] + 7).collect::<Vec<_>>(),
        "{numbers:?}"
    );
    let signed = app
        .raw_text("SELECT CAST(COUNT(DISTINCT object_id) AS TEXT) FROM signed_acts WHERE level = 'simple'")
        .await[0]
        .clone()
        .unwrap();
    assert_eq!(signed, "7", "each submission signed");
    app.settle().await;

    let expected = [
        ("routed", vec!["accepted", "checking", "routed"]),
        ("refused", vec!["accepted", "checking", "refused"]),
        (
            "awaiting_payment",
            vec!["accepted", "checking", "awaiting_payment"],
        ),
        (
            "awaiting_payment",
            vec!["accepted", "checking", "awaiting_payment"],
        ),
        (
            "awaiting_payment",
            vec!["accepted", "checking", "awaiting_payment"],
        ),
        (
            "awaiting_payment",
            vec!["accepted", "checking", "awaiting_payment"],
        ),
        ("routed", vec!["accepted", "checking", "routed"]),
    ];
    let mut uins = Vec::new();
    for (id, (state, steps)) in ids.iter().zip(&expected) {
        let a = app.until_state(&anna.token, id, state).await;
        assert_eq!(steps_of(&a), *steps, "{a}");
        if *state == "refused" {
            assert_eq!(a["decision_reason"], "file-damaged:contract", "{a}");
        }
        if *state == "awaiting_payment" {
            uins.push(a["fee_uin"].as_str().expect("a fee УИН").to_string());
        }
    }
    uins.sort();
    uins.dedup();
    assert_eq!(uins.len(), 4, "one charge for each fee");
    let charges = app.get_auth_json("/api/v1/charges", &anna.token).await;
    assert_eq!(charges.as_array().unwrap().len(), 4, "{charges}");

    // One notice of each submission and of each routing or refusal, none twice.
    let notices = app
        .raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM notifications")
        .await[0]
        .clone()
        .unwrap();
    assert_eq!(notices, "10", "7 submissions, 2 routings, 1 refusal");
    // Each step in the journal, chained one by one.
    let journal = app
        .raw_text(
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_events WHERE action LIKE 'application.%'",
        )
        .await[0]
        .clone()
        .unwrap();
    assert_eq!(journal, "21", "3 lines for each of 7 applications");
    assert!(matches!(
        sep_audit::verify(&app.platform.db).await.unwrap(),
        sep_audit::Verdict::Intact { .. }
    ));

    // Asked again together (the sweep after a crash), nothing moves or doubles.
    let mut again: Vec<uuid::Uuid> = ids.iter().map(|id| id.parse().unwrap()).collect();
    again.push(again[0]);
    sep_applications::service::advance_all(&app.platform, again).await;
    app.settle().await;
    let history = app
        .raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM application_events")
        .await[0]
        .clone()
        .unwrap();
    assert_eq!(history, "21");
    let charges = app.get_auth_json("/api/v1/charges", &anna.token).await;
    assert_eq!(charges.as_array().unwrap().len(), 4);
}
