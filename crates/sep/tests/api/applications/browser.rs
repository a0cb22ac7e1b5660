//! Two people in two real browsers: a citizen finds a service, applies with
//! one field wrong, fixes it and submits; an officer takes and approves it;
//! the citizen's open page shows «Одобрено» without being reloaded.

use crate::helpers::browser::{
    arrive, browser, click, fill, sign_in, snapshot, start_driver, submit, text_of, until_text,
};
use crate::helpers::*;
use fantoccini::Locator;
use sep_identity::model::AssuranceLevel;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_citizen_applies_and_sees_the_officers_approval_live() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::with_catalog().await;
    let anna = app
        .applicant("+79161230001", AssuranceLevel::Standard, "112-233-445 95")
        .await;
    let officer = app.officer_in("+79161230003", "fns-77").await;
    let citizen = browser(&driver).await;
    sign_in(&citizen, &app, &anna.phone).await;

    // Find the service in Russian and open its form.
    citizen
        .goto(&app.url("/services?q=справка+о+налогах"))
        .await
        .unwrap();
    click(&citizen, "#results a").await;
    arrive(&citizen, "/services/tax-debt-statement").await;
    assert_eq!(text_of(&citizen, "#fee").await, "бесплатно");
    assert_eq!(text_of(&citizen, "#deadline").await, "10 рабочих дней");
    click(&citizen, "#apply").await;
    arrive(&citizen, "/services/tax-debt-statement/apply").await;
    let prefilled = citizen
        .find(Locator::Id("f-full_name"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        prefilled.as_deref(),
        Some("Петрова Анна Сергеевна"),
        "from the profile"
    );

    // A wrong ИНН is flagged as soon as the field is left…
    fill(&citizen, "inn", "500100732258").await;
    citizen
        .execute(
            "document.getElementById('f-as_of').value = '2026-11-20'",
            vec![],
        )
        .await
        .unwrap();
    click(&citizen, "#f-phone").await;
    until_text(
        &citizen,
        "[data-error-for=inn]",
        "контрольное число не сходится",
    )
    .await;
    snapshot(&citizen, "5-apply-inn-flagged").await;
    // …and refused on submit, with the field named and nothing stored.
    submit(&citizen).await;
    until_text(&citizen, "#f-inn-error", "контрольное число не сходится").await;
    let r = app.get_auth("/api/v1/applications", &anna.token).await;
    assert_eq!(r.json::<serde_json::Value>().await.unwrap(), json!([]));

    fill(&citizen, "inn", "500100732259").await;
    submit(&citizen).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !citizen
        .current_url()
        .await
        .unwrap()
        .path()
        .starts_with("/applications/")
    {
        assert!(Instant::now() < deadline, "no redirect to the application");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    until_text(&citizen, "#state", "Направлено в ведомство").await;
    let application_path = citizen.current_url().await.unwrap().path().to_string();
    snapshot(&citizen, "6-submitted").await;
    // A marker that a reload would wipe out.
    citizen
        .execute("window.__stillHere = true", vec![])
        .await
        .unwrap();

    // The officer, in a browser of their own, takes it from the queue and approves.
    let desk = browser(&driver).await;
    sign_in(&desk, &app, &officer.phone).await;
    desk.goto(&app.url("/officer/queue")).await.unwrap();
    click(&desk, "#queue a").await;
    arrive(&desk, &application_path).await;
    click(&desk, "#do-take").await;
    until_text(&desk, "#state", "На рассмотрении").await;
    until_text(&citizen, "#state", "На рассмотрении").await;
    click(&desk, "#do-approve").await;
    until_text(&desk, "#state", "Одобрено").await;
    snapshot(&desk, "7-officer-approved").await;

    // The citizen's page changed by itself.
    until_text(&citizen, "#state", "Одобрено").await;
    let same_page = citizen
        .execute("return window.__stillHere === true", vec![])
        .await
        .unwrap();
    assert_eq!(same_page, json!(true), "updated without a reload");
    let history = text_of(&citizen, "#history").await;
    assert!(history.contains("Одобрено"), "{history}");
    let unread = text_of(&citizen, "#unread-count").await;
    assert_eq!(
        unread, "4",
        "Принято, Направлено, На рассмотрении, Одобрено"
    );
    snapshot(&citizen, "8-citizen-sees-approval").await;
    citizen.client.clone().close().await.unwrap();
    desk.client.clone().close().await.unwrap();
}
