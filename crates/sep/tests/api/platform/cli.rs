//! The `sep` binary as an operator runs it, against a SQLite file.

use std::path::Path;
use std::process::Command;

fn sep(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sep"))
        .args(args)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("sep.db").display()),
        )
        .env("SEP_DATA_DIR", dir)
        .env_remove("SEP_CONFIG")
        .env_remove("SEP_MASTER_KEY")
        .output()
        .expect("sep runs")
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn demo_users_roles_unlock_and_audit_verify_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = sep(d, &["demo"]);
    assert!(out.status.success(), "{}", text(&out));
    // Five role accounts and an officer for each of the 24 demo departments.
    assert!(
        text(&out).contains("29 account(s) created"),
        "{}",
        text(&out)
    );
    let again = sep(d, &["demo"]);
    assert!(
        text(&again).contains("0 account(s) created"),
        "demo is idempotent"
    );

    let out = sep(
        d,
        &[
            "user",
            "create",
            "--phone",
            "+79123456700",
            "--email",
            "op@mail.ru",
            "--password",
            "Vesna-Tuman-42",
            "--role",
            "officer",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = sep(
        d,
        &[
            "user",
            "create",
            "--phone",
            "123",
            "--email",
            "op2@mail.ru",
            "--password",
            "Vesna-Tuman-42",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("phone: Телефон: укажите номер в формате +7 и 10 цифр"),
        "{}",
        text(&out)
    );
    let out = sep(
        d,
        &[
            "user",
            "set-role",
            "op@mail.ru",
            "--role",
            "officer,support",
        ],
    );
    assert!(
        text(&out).contains("roles: officer,support"),
        "{}",
        text(&out)
    );
    let out = sep(d, &["user", "set-role", "op@mail.ru", "--role", "tsar"]);
    assert!(!out.status.success());
    assert!(sep(d, &["user", "unlock", "+79123456700"]).status.success());
    let out = sep(d, &["user", "list", "op@"]);
    assert!(text(&out).contains("+79123456700"), "{}", text(&out));

    let out = sep(d, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("intact"));

    // Tamper with one row straight in the SQLite file, as an intruder would.
    let db = d.join("sep.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sea_orm::ConnectionTrait;
        let conn = sea_orm::Database::connect(format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        conn.execute_unprepared(
            "UPDATE audit_events SET action = 'identity.nothing' WHERE seq = 3",
        )
        .await
        .unwrap();
        conn.close().await.unwrap();
    });
    let out = sep(d, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("record 3"), "{}", text(&out));
}

#[tokio::test]
async fn operators_list_and_export_applications_and_print_the_graph() {
    use crate::helpers::TestApp;
    use sep_identity::model::AssuranceLevel;
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Simplified, "112-233-445 95")
        .await;
    let mut numbers = Vec::new();
    for (key, cadastral) in [("a", "77:01:0001001:1"), ("b", "77:01:0001001:2")] {
        let body = serde_json::json!({ "service": "egrn-extract", "answers": {
            "full_name": "Петрова Анна Сергеевна", "phone": "+79165551234",
            "cadastral_number": cadastral } });
        let r = app.submit(&anna.token, key, &body).await;
        assert_eq!(r.status(), reqwest::StatusCode::CREATED);
        let v: serde_json::Value = r.json().await.unwrap();
        numbers.push(v["number"].as_str().unwrap().to_string());
        if key == "a" {
            app.pay_fee(&anna, v["id"].as_str().unwrap()).await;
        }
    }
    let graph = app.cli(&["applications", "graph"]).await;
    assert!(graph.status.success());
    let dot = String::from_utf8(graph.stdout).unwrap();
    assert!(
        dot.contains("in_review -> approved [label=\"approve\""),
        "{dot}"
    );

    let out = app
        .cli(&["applications", "export", "--format", "csv"])
        .await;
    assert!(out.status.success(), "{}", text(&out));
    let csv = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("number,service,state"));
    for n in &numbers {
        assert!(csv.contains(n.as_str()), "{n} in {csv}");
    }
    assert!(lines[1].contains(",routed,"), "{csv}");
    assert!(lines[2].contains(",awaiting_payment,"), "{csv}");

    let out = app
        .cli(&[
            "applications",
            "export",
            "--format",
            "json",
            "--state",
            "approved",
        ])
        .await;
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "[]");
    let out = app
        .cli(&["applications", "list", "--service", "egrn-extract"])
        .await;
    assert!(text(&out).contains(&numbers[0]) && text(&out).contains("2 application(s)"));
    let out = app
        .cli(&["applications", "list", "--state", "flying"])
        .await;
    assert!(!out.status.success());
    assert!(
        text(&out).contains("неизвестное состояние"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn the_ledger_check_passes_on_balanced_books_and_names_a_tampered_movement() {
    use crate::helpers::TestApp;
    use sea_orm::ConnectionTrait;
    use sep_kernel::Kopecks;
    use sep_payments::ledger;
    use sep_payments::{model::LedgerAccount, model::Movement};
    let app = TestApp::spawn().await;
    let p = &app.platform;
    let me = LedgerAccount::Personal(uuid::Uuid::now_v7());
    let now = app.platform.now();
    let txn = p.db.begin().await.unwrap();
    let top_up = Movement::transfer(LedgerAccount::Acquirer, me.clone(), Kopecks(100_000)).unwrap();
    ledger::record(&*txn, "top_up", "intent-1", &top_up, now)
        .await
        .unwrap();
    let pay = Movement::transfer(
        me.clone(),
        LedgerAccount::Charge("52601815908301661312".into()),
        Kopecks(30_000),
    )
    .unwrap();
    let paid = ledger::record(&*txn, "payment", "intent-2", &pay, now)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(ledger::balance(&*p.db, &me).await.unwrap(), Kopecks(70_000));

    // The same cause twice is refused by the database, not trusted to the caller.
    let txn = p.db.begin().await.unwrap();
    let again = ledger::record(&*txn, "top_up", "intent-1", &top_up, now).await;
    assert!(sep_platform::db::violates(
        &again.unwrap_err(),
        &ledger::MOVEMENT_KEY
    ));
    drop(txn);

    let out = app.cli(&["ledger", "verify"]).await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("ledger balanced: 2 movements, 4 postings"));

    // Someone edits one posting behind the application's back.
    p.db.execute_unprepared(
        "UPDATE ledger_postings SET amount_kopecks = amount_kopecks + 1 \
         WHERE account_kind = 'charge'",
    )
    .await
    .unwrap();
    let out = app.cli(&["ledger", "verify"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains(&format!("BROKEN at movement {paid}: DoesNotSumToZero")),
        "{}",
        text(&out)
    );
}
