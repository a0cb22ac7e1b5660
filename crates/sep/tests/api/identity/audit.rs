use crate::helpers::*;
use sea_orm::ConnectionTrait;
use sep_audit::{Verdict, verify};

#[tokio::test]
async fn every_change_is_chained_and_tampering_is_found() {
    let app = TestApp::spawn().await;
    let phone = app.citizen("+79123456789", "ivan@mail.ru").await;
    app.login(&phone, &phone, PASSWORD).await;
    let db = &app.platform.db;
    let Verdict::Intact { records } = verify(db).await.unwrap() else {
        panic!("fresh journal is intact")
    };
    assert!(
        records >= 4,
        "register, confirm, password, login: {records}"
    );

    db.execute_unprepared("UPDATE audit_events SET result = 'denied' WHERE seq = 2")
        .await
        .unwrap();
    assert_eq!(
        verify(db).await.unwrap(),
        Verdict::Broken {
            seq: 2,
            reason: "altered"
        }
    );
    db.execute_unprepared("UPDATE audit_events SET result = 'ok' WHERE seq = 2")
        .await
        .unwrap();
    assert_eq!(verify(db).await.unwrap(), Verdict::Intact { records });

    db.execute_unprepared("DELETE FROM audit_events WHERE seq = 3")
        .await
        .unwrap();
    assert_eq!(
        verify(db).await.unwrap(),
        Verdict::Broken {
            seq: 3,
            reason: "missing"
        }
    );
}

#[tokio::test]
async fn removing_the_newest_records_is_found_too() {
    let app = TestApp::spawn().await;
    app.citizen("+79123456789", "ivan@mail.ru").await;
    let db = &app.platform.db;
    let Verdict::Intact { records } = verify(db).await.unwrap() else {
        panic!()
    };
    db.execute_unprepared(&format!("DELETE FROM audit_events WHERE seq = {records}"))
        .await
        .unwrap();
    assert_eq!(
        verify(db).await.unwrap(),
        Verdict::Broken {
            seq: records,
            reason: "truncated"
        }
    );
}
