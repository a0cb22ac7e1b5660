//! Registration, login and the profile in a real browser.

use crate::helpers::TestApp;
use crate::helpers::browser::*;
use fantoccini::Locator;
use reqwest::StatusCode;

#[tokio::test]
async fn registration_login_and_profile_in_a_real_browser() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn().await;
    let c = browser(&driver).await;

    c.goto(&app.url("/register")).await.expect("open /register");
    assert_eq!(text_of(&c, "h1").await, "Регистрация");
    fill(&c, "phone", "8 (916) 555-12-34").await;
    fill(&c, "email", "Browser@Example.ru").await;
    fill(&c, "password", "Vesna-Tuman-42").await;
    c.find(Locator::Id("f-consent"))
        .await
        .expect("consent box")
        .click()
        .await
        .expect("tick consent");
    snapshot(&c, "1-register").await;
    submit(&c).await;

    arrive(&c, "/register/confirm").await;
    fill(&c, "code", &app.last_code("+79165551234")).await;
    submit(&c).await;

    arrive(&c, "/login").await;
    fill(&c, "login", "+7 916 555-12-34").await;
    fill(&c, "password", "Vesna-Tuman-42").await;
    submit(&c).await;

    arrive(&c, "/login/code").await;
    fill(&c, "code", &app.last_code("+79165551234")).await;
    submit(&c).await;

    arrive(&c, "/profile").await;
    fill(&c, "last_name", "Иванова").await;
    fill(&c, "first_name", "Мария").await;
    fill(&c, "birth_date", "05.03.1985").await;
    fill(&c, "snils", "112-233-445 98").await;
    submit(&c).await;
    snapshot(&c, "2-profile-wrong-snils").await;

    let error = c
        .wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::Css(".field-error[data-field=snils]"))
        .await
        .expect("an error next to the СНИЛС field")
        .text()
        .await
        .expect("text");
    assert_eq!(error, "контрольное число не сходится");
    let described = c
        .find(Locator::Id("f-snils"))
        .await
        .expect("snils input")
        .attr("aria-describedby")
        .await
        .expect("attr");
    assert_eq!(described.as_deref(), Some("snils-error"));
    let kept = c
        .find(Locator::Id("f-last_name"))
        .await
        .expect("last name input")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("Иванова"), "typed values survive");
    let token = app
        .login("+79165551234", "+79165551234", "Vesna-Tuman-42")
        .await;
    let r = app.get_auth("/api/v1/profile", &token).await;
    assert_eq!(r.status(), StatusCode::OK);
    let me: serde_json::Value = r.json().await.unwrap();
    assert_eq!(me["last_name"], "", "nothing saved from the refused form");

    fill(&c, "snils", "112-233-445 95").await;
    submit(&c).await;
    snapshot(&c, "3-profile-saved").await;
    let notice = c
        .wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::Css(".notice"))
        .await
        .expect("a notice that the profile was saved")
        .text()
        .await
        .expect("text");
    assert_eq!(notice, "Изменения сохранены.");
    let facts = text_of(&c, "dl.facts").await;
    assert!(
        facts.contains("+7 916 555-12-34"),
        "phone shown grouped: {facts}"
    );
    assert!(facts.contains("SMS-код"), "second factor named: {facts}");
    assert!(
        c.find(Locator::Css(".field-error")).await.is_err(),
        "no errors left on the page"
    );

    let me: serde_json::Value = app
        .get_auth("/api/v1/profile", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["last_name"], "Иванова");
    assert_eq!(me["snils"], "112-233-445 95");
    assert_eq!(me["birth_date"], "05.03.1985");

    // Changing the phone: new number and password, then the code sent to it.
    c.find(Locator::Id("change-phone"))
        .await
        .expect("a change link by the phone")
        .click()
        .await
        .expect("click");
    arrive(&c, "/profile/phone").await;
    fill(&c, "phone", "8 916 000-11-22").await;
    fill(&c, "password", "Vesna-Tuman-42").await;
    submit(&c).await;
    arrive(&c, "/profile/contacts/confirm").await;
    assert_eq!(
        text_of(&c, ".notice").await,
        "Код отправлен: +7 916 ***-**-22"
    );
    fill(&c, "code", "000000").await;
    submit(&c).await;
    let error = c
        .wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::Css(".field-error[data-field=code]"))
        .await
        .expect("an error next to the code")
        .text()
        .await
        .expect("text");
    assert_eq!(error, "неверный код, осталось 4 попытки");
    fill(&c, "code", &app.last_code("+79160001122")).await;
    submit(&c).await;
    arrive(&c, "/profile").await;
    snapshot(&c, "4-phone-changed").await;
    assert_eq!(text_of(&c, ".notice").await, "Номер телефона изменён.");
    let facts = text_of(&c, "dl.facts").await;
    assert!(
        facts.contains("+7 916 000-11-22"),
        "new phone shown: {facts}"
    );
    c.client.clone().close().await.expect("browser closes");
}
