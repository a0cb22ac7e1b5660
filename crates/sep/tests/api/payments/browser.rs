//! A citizen pays a traffic fine in a real browser: «Начисления» with the
//! discount, a mistyped card number refused next to the field, the test
//! card, the SMS code (a wrong one first), «Оплачено», the receipt.

use crate::helpers::browser::{
    arrive, browser, click, fill, sign_in, snapshot, start_driver, submit, text_of, until_text,
};
use crate::payments::api::{scene, uin};
use serde_json::Value;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_citizen_pays_a_fine_with_a_test_card_in_a_real_browser() {
    let Some(driver) = start_driver() else { return };
    let (fine, other) = (uin(60), uin(61));
    let s = scene(&[&fine, &other]).await;
    let c = browser(&driver).await;
    sign_in(&c, &s.app, &s.payer.phone).await;

    c.goto(&s.app.url("/charges")).await.unwrap();
    let listed = text_of(&c, "#unpaid").await;
    assert!(
        listed.contains(&fine) && listed.contains(&other),
        "{listed}"
    );
    assert!(
        listed.contains("Скидка 50 % при оплате до 14.12.2026"),
        "{listed}"
    );
    snapshot(&c, "pay-1-charges").await;
    // Pay one of the two.
    click(&c, &format!("[id='pick-{other}']")).await;
    click(&c, "#pay-selected").await;
    arrive(&c, "/payments/new").await;
    assert_eq!(text_of(&c, "#total").await, "750 ₽");

    // A mistyped card number: named next to its field, nothing started.
    fill(&c, "card.number", "4111 1111 1111 1112").await;
    fill(&c, "card.expiry", "12/30").await;
    fill(&c, "card.cvc", "123").await;
    click(&c, "#pay").await;
    until_text(
        &c,
        "[id='card.number-error']",
        "номер карты набран с ошибкой: не сходится контрольная цифра",
    )
    .await;
    snapshot(&c, "pay-2-card-refused").await;
    let mine: Value = s
        .app
        .get_auth("/api/v1/payments", &s.payer.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine, serde_json::json!([]), "nothing was started");

    fill(&c, "card.number", "4111 1111 1111 1111").await;
    fill(&c, "card.cvc", "123").await;
    click(&c, "#pay").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !c
        .current_url()
        .await
        .unwrap()
        .path()
        .starts_with("/payments/0")
    {
        assert!(Instant::now() < deadline, "no payment page");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    until_text(&c, "#payment-state", "Ждёт кода подтверждения").await;

    // A wrong code first, then the one from the SMS.
    let code = s.code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    fill(&c, "code", wrong).await;
    submit(&c).await;
    until_text(&c, "#code-error", "неверный код, осталось 2 попытки").await;
    snapshot(&c, "pay-3-wrong-code").await;
    fill(&c, "code", &code).await;
    submit(&c).await;
    // The page refreshes itself while the bank works.
    until_text(&c, "#payment-state", "Оплачено").await;
    let number = text_of(&c, "#operation-number").await;
    assert!(number.starts_with("П-2026-"), "{number}");
    let href = c
        .find(fantoccini::Locator::Id("receipt"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(href.ends_with("/receipt.pdf"), "{href}");
    snapshot(&c, "pay-4-paid").await;

    // «Начисления» now shows the fine paid and the other still due.
    c.goto(&s.app.url("/charges")).await.unwrap();
    assert!(text_of(&c, "#settled").await.contains(&fine));
    assert!(text_of(&c, "#unpaid").await.contains(&other));
    assert!(!text_of(&c, "#unpaid").await.contains(&fine));
    // And the history lists the payment with its receipt.
    c.goto(&s.app.url("/payments")).await.unwrap();
    let history = text_of(&c, "#payments").await;
    assert!(
        history.contains(&number) && history.contains("Оплачено"),
        "{history}"
    );
    s.ledger_verify().await;
    c.client.clone().close().await.expect("browser closes");
}
