//! Paying charges through the shipped sandbox acquirer: the confirmation code
//! by SMS, the asynchronous signed callback, no double payment under retries,
//! races and replays, forged callbacks refused, a payment whose callback
//! never comes reconciled, and the books balanced after all of it.

use crate::helpers::*;
use crate::payments::charges::{SNILS, fine};
use reqwest::{Method, StatusCode};
use sep_identity::{model::AssuranceLevel, model::Role};
use sep_kernel::Uin;
use serde_json::{Value, json};
use std::time::Duration;

pub const GOOD_CARD: &str = "4111 1111 1111 1111";
const DECLINED_CARD: &str = "4000 0000 0000 0002";
const TIMEOUT_CARD: &str = "4000 0000 0000 0119";

/// A valid УИН numbered `n` (a traffic-police one: 188…).
pub fn uin(n: u32) -> String {
    Uin::with_control_digit(&format!("1881017726{n:09}"))
        .unwrap()
        .to_string()
}

pub fn by_card(uins: &[&str], number: &str) -> Value {
    json!({
        "charges": uins, "method": "card",
        "card": { "number": number, "expiry": "12/30", "cvc": "123" }
    })
}

pub struct Scene {
    pub app: TestApp,
    pub payer: Person,
    pub officer: String,
}

/// A citizen with the fines `uins` posted against their СНИЛС.
pub async fn scene(uins: &[&str]) -> Scene {
    let app = TestApp::spawn().await;
    let payer = app
        .applicant("+79161260001", AssuranceLevel::Standard, SNILS)
        .await;
    let (_, officer) = app
        .agency_staff(Role::Officer, "+79161260002", "gibdd")
        .await;
    for u in uins {
        let r = app.post_auth("/api/v1/charges", &officer, fine(u)).await;
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
    }
    Scene {
        app,
        payer,
        officer,
    }
}

impl Scene {
    pub async fn pay(&self, key: impl AsRef<str>, body: Value) -> reqwest::Response {
        self.app
            .http
            .post(self.app.url("/api/v1/payments"))
            .bearer_auth(&self.payer.token)
            .header("Idempotency-Key", key.as_ref())
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// Starts a payment that must be accepted; its id.
    pub async fn start(&self, key: &str, body: Value) -> String {
        let r = self.pay(key, body).await;
        assert!(r.status().is_success(), "{}", r.status());
        json_of(r).await["id"].as_str().unwrap().to_string()
    }

    pub async fn confirm(&self, id: &str, code: &str) -> reqwest::Response {
        self.app
            .post_auth(
                &format!("/api/v1/payments/{id}/confirm"),
                &self.payer.token,
                json!({ "code": code }),
            )
            .await
    }

    pub async fn payment(&self, id: &str) -> Value {
        json_of(
            self.app
                .get_auth(&format!("/api/v1/payments/{id}"), &self.payer.token)
                .await,
        )
        .await
    }

    /// Waits (briefly, by polling) until the payment reaches `state`.
    pub async fn until(&self, id: &str, state: &str) -> Value {
        for _ in 0..500 {
            let p = self.payment(id).await;
            if p["state"] == state {
                return p;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "payment {id} never became {state}: {}",
            self.payment(id).await
        );
    }

    pub async fn charge(&self, uin: &str) -> Value {
        json_of(
            self.app
                .get_auth(&format!("/api/v1/charges/{uin}"), &self.payer.token)
                .await,
        )
        .await
    }

    /// The code the sandbox acquirer sent the payer.
    pub fn code(&self) -> String {
        self.app.last_code(&self.payer.phone)
    }

    /// Pays with a good card and the right code; returns the succeeded payment.
    pub async fn pay_fully(&self, key: &str, uins: &[&str]) -> Value {
        let r = self.pay(key, by_card(uins, GOOD_CARD)).await;
        assert!(r.status().is_success(), "{}", r.status());
        let id = json_of(r).await["id"].as_str().unwrap().to_string();
        let r = self.confirm(&id, &self.code()).await;
        assert_eq!(r.status(), StatusCode::OK);
        self.until(&id, "succeeded").await
    }

    /// Tops the personal account up by `kopecks` with a good card and the
    /// SMS code; returns the succeeded payment.
    pub async fn top_up(&self, key: &str, kopecks: i64) -> Value {
        let body = json!({
            "top_up_kopecks": kopecks, "method": "card",
            "card": { "number": GOOD_CARD, "expiry": "12/30", "cvc": "123" }
        });
        let r = self.pay(key, body).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let id = json_of(r).await["id"].as_str().unwrap().to_string();
        assert_eq!(
            self.confirm(&id, &self.code()).await.status(),
            StatusCode::OK
        );
        self.until(&id, "succeeded").await
    }

    pub async fn balance(&self) -> Value {
        json_of(
            self.app
                .get_auth("/api/v1/account", &self.payer.token)
                .await,
        )
        .await["balance_kopecks"]
            .clone()
    }

    pub async fn ledger_verify(&self) -> String {
        let out = self.app.cli(&["ledger", "verify"]).await;
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{text}");
        text
    }

    /// The ledger's movements of `kind`.
    pub async fn movements(&self, kind: &str) -> usize {
        self.app
            .raw_text(&format!(
                "SELECT reference FROM ledger_movements WHERE kind = '{kind}'"
            ))
            .await
            .len()
    }
}

#[tokio::test]
async fn a_fine_is_paid_by_card_with_the_code_from_the_sms() {
    let fine_uin = uin(1);
    let s = scene(&[&fine_uin]).await;

    let r = s.pay("k-1", by_card(&[&fine_uin], GOOD_CARD)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let started = json_of(r).await;
    assert_eq!(started["state"], "requires_confirmation");
    assert_eq!(started["amount_kopecks"], 75000, "the fine at half price");
    assert_eq!(started["card"], "VISA •••• 1111");
    let id = started["id"].as_str().unwrap();
    assert_eq!(
        s.charge(&fine_uin).await["status"],
        "processing",
        "«В обработке»"
    );
    let sms = s.app.sms();
    let text = sms.last().unwrap()["text"].as_str().unwrap();
    assert!(
        text.contains("Код подтверждения оплаты 750,00\u{a0}₽"),
        "{text}"
    );

    // Retried with the same key and body: the same payment, nothing new.
    let again = s.pay("k-1", by_card(&[&fine_uin], GOOD_CARD)).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(json_of(again).await["id"], started["id"]);
    // The same key with another body.
    let other = s
        .pay("k-1", by_card(&[&fine_uin], "5555 5555 5555 4444"))
        .await;
    assert_eq!(other.status(), StatusCode::CONFLICT);

    let r = s.confirm(id, "000000").await;
    let status = r.status();
    let problem = json_of(r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "code");
    assert_eq!(problem["errors"][0]["attempts_left"], 2, "{problem}");

    let r = s.confirm(id, &s.code()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let paid = s.until(id, "succeeded").await;
    let number = paid["operation_number"].as_str().unwrap();
    assert!(number.starts_with("П-2026-"), "{number}");
    let charge = s.charge(&fine_uin).await;
    assert_eq!(charge["status"], "paid", "«Оплачено»");

    let r = s.pay("k-2", by_card(&[&fine_uin], GOOD_CARD)).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "paid once only");
    assert_eq!(json_of(r).await["errors"][0]["code"], "charge-already-paid");
    assert_eq!(s.movements("payment").await, 1);
    assert!(
        s.ledger_verify()
            .await
            .contains("ledger balanced: 1 movements")
    );

    let history = json_of(s.app.get_auth("/api/v1/payments", &s.payer.token).await).await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["charges"][0]["uin"], fine_uin.as_str());
}

#[tokio::test]
async fn bad_payment_requests_are_named_and_change_nothing() {
    let fine_uin = uin(2);
    let s = scene(&[&fine_uin]).await;
    let typo = format!(
        "{}{}",
        &fine_uin[..19],
        (fine_uin.as_bytes()[19] - b'0' + 1) % 10
    );
    let mut wrong = by_card(&[&fine_uin, &typo], "4111 1111 1111 1112");
    wrong["card"]["expiry"] = json!("13/30");
    let r = s.pay("bad", wrong).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    let fields: Vec<(&str, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("charges[1]", "uin-checksum"),
            ("card.number", "card-number-checksum"),
            ("card.expiry", "card-expiry-format")
        ]
    );
    assert_eq!(
        problem["errors"][1]["message"],
        "Номер карты: номер карты набран с ошибкой: не сходится контрольная цифра"
    );
    let unknown = uin(999);
    let r = s.pay("bad-2", by_card(&[&unknown], GOOD_CARD)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(r).await["errors"][0]["code"], "charge-unknown");
    let r = s
        .pay("bad-3", json!({ "top_up_kopecks": -100, "method": "card" }))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = s
        .app
        .http
        .post(s.app.url("/api/v1/payments"))
        .bearer_auth(&s.payer.token)
        .json(&by_card(&[&fine_uin], GOOD_CARD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "no Idempotency-Key");

    assert_eq!(s.charge(&fine_uin).await["status"], "unpaid");
    let none = json_of(s.app.get_auth("/api/v1/payments", &s.payer.token).await).await;
    assert_eq!(none.as_array().unwrap().len(), 0, "nothing was created");
}

#[tokio::test]
async fn races_for_one_charge_end_in_one_payment() {
    let fine_uin = uin(3);
    let s = scene(&[&fine_uin]).await;

    // Ten retries of one request at once: one payment.
    let same_key =
        futures::future::join_all((0..10).map(|_| s.pay("same", by_card(&[&fine_uin], GOOD_CARD))))
            .await;
    let mut ids = Vec::new();
    for r in same_key {
        let status = r.status();
        let body = json_of(r).await;
        assert!(status.is_success(), "{status} {body}");
        ids.push(body["id"].as_str().unwrap().to_string());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one payment for one key");
    let same_code = s.code();
    let codes_sent = s.app.sms().len();

    // Ten different keys for the held charge: all refused, clearly.
    let others = futures::future::join_all(
        (0..10).map(|i| s.pay(format!("other-{i}"), by_card(&[&fine_uin], GOOD_CARD))),
    )
    .await;
    for r in others {
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let p = json_of(r).await;
        assert_eq!(p["errors"][0]["field"], "charges[0]");
        assert_eq!(p["errors"][0]["code"], "charge-being-paid");
        assert_eq!(
            p["errors"][0]["message"],
            "Начисления: начисление уже оплачивается другим платежом"
        );
    }

    // A second charge raced by ten different keys at once: exactly one wins.
    let second = uin(4);
    let r = s
        .app
        .post_auth("/api/v1/charges", &s.officer, fine(&second))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let raced = futures::future::join_all(
        (0..10).map(|i| s.pay(format!("race-{i}"), by_card(&[&second], GOOD_CARD))),
    )
    .await;
    let statuses: Vec<StatusCode> = raced.iter().map(|r| r.status()).collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        9,
        "{statuses:?}"
    );
    let r = s.confirm(&ids[0], &same_code).await;
    assert_eq!(r.status(), StatusCode::OK);
    s.until(&ids[0], "succeeded").await;
    assert_eq!(
        s.app.sms().len(),
        codes_sent + 1,
        "one code for the ten retries, one for the race's winner, none for the refused"
    );
    assert_eq!(s.movements("payment").await, 1);
    s.ledger_verify().await;
}

#[tokio::test]
async fn a_declined_card_frees_the_charge_for_another_try() {
    let fine_uin = uin(5);
    let s = scene(&[&fine_uin]).await;
    let id = s.start("d-1", by_card(&[&fine_uin], DECLINED_CARD)).await;
    assert_eq!(s.confirm(&id, &s.code()).await.status(), StatusCode::OK);
    let failed = s.until(&id, "failed").await;
    assert_eq!(failed["failure"], "insufficient_funds");
    assert_eq!(s.charge(&fine_uin).await["status"], "unpaid");
    let r = s.confirm(&id, &s.code()).await;
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "a failed payment takes no code"
    );

    // Given up before the code: cancelled, the charge free again.
    let id = s.start("d-2", by_card(&[&fine_uin], GOOD_CARD)).await;
    let r = s
        .app
        .post_auth(
            &format!("/api/v1/payments/{id}/cancel"),
            &s.payer.token,
            json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(json_of(r).await["state"], "cancelled");
    assert_eq!(s.charge(&fine_uin).await["status"], "unpaid");

    s.pay_fully("d-3", &[&fine_uin]).await;
    assert_eq!(s.movements("payment").await, 1);
    s.ledger_verify().await;
}

#[tokio::test]
async fn callbacks_replayed_ten_times_pay_once_and_forged_ones_are_refused() {
    let fine_uin = uin(6);
    let s = scene(&[&fine_uin]).await;
    let paid = s.pay_fully("r-1", &[&fine_uin]).await;
    let id = paid["id"].as_str().unwrap();

    let acquirer_id = s
        .app
        .raw_text(&format!(
            "SELECT acquirer_payment_id FROM payment_intents WHERE operation_number = '{}'",
            paid["operation_number"].as_str().unwrap()
        ))
        .await[0]
        .clone()
        .unwrap();
    for _ in 0..10 {
        let r = s
            .app
            .acquirer(
                Method::POST,
                &format!("/v1/sandbox/payments/{acquirer_id}/resend"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    // Every replay delivered and acknowledged.
    let mut delivered = 0;
    for _ in 0..500 {
        let log: Value = s
            .app
            .acquirer(Method::GET, "/v1/sandbox/callbacks")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ours: Vec<&Value> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["subject"] == acquirer_id.as_str() && c["event"] == "payment.succeeded")
            .collect();
        delivered = ours.iter().filter(|c| c["last_status"] == 200).count();
        if delivered == 11 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        delivered, 11,
        "the first callback and ten replays, all acknowledged"
    );
    assert_eq!(s.payment(id).await["state"], "succeeded");
    assert_eq!(s.movements("payment").await, 1, "money moved once");

    // A forged callback: a valid-looking body, the wrong key.
    let other_uin = uin(7);
    let r = s
        .app
        .post_auth("/api/v1/charges", &s.officer, fine(&other_uin))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = s.pay("r-2", by_card(&[&other_uin], GOOD_CARD)).await;
    let pending = json_of(r).await;
    let body = json!({
        "event": "payment.succeeded",
        "object": {
            "id": "pay_forged", "order_id": pending["id"], "status": "succeeded",
            "amount_kopecks": 75000, "cancel_reason": null, "card": null
        }
    })
    .to_string();
    for signature in [
        Some(sep_peers::acquirer::sign("not-the-secret", body.as_bytes())),
        None,
    ] {
        let mut req = s
            .app
            .http
            .post(s.app.url("/api/v1/payments/callback"))
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(sig) = signature {
            req = req.header("X-Acquirer-Signature", sig);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let still = s.payment(pending["id"].as_str().unwrap()).await;
    assert_eq!(
        still["state"], "requires_confirmation",
        "the forgery changed nothing"
    );
    assert_eq!(s.charge(&other_uin).await["status"], "processing");
    assert_eq!(s.movements("payment").await, 1);
    s.ledger_verify().await;
}

#[tokio::test]
async fn a_payment_whose_callback_never_comes_is_reconciled() {
    let fine_uin = uin(8);
    let s = scene(&[&fine_uin]).await;
    let id = s.start("t-1", by_card(&[&fine_uin], TIMEOUT_CARD)).await;
    // The acquirer does not answer in time: the payment is «В обработке».
    let r = s.confirm(&id, &s.code()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(json_of(r).await["state"], "processing");
    assert_eq!(s.charge(&fine_uin).await["status"], "processing");

    let out = s.app.cli(&["payments", "reconcile"]).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("asked 1, moved 1, unreachable 0"), "{text}");
    assert_eq!(s.payment(&id).await["state"], "succeeded");
    assert_eq!(s.charge(&fine_uin).await["status"], "paid");
    let again = s.app.cli(&["payments", "reconcile"]).await;
    assert!(String::from_utf8_lossy(&again.stdout).contains("asked 0"));
    assert_eq!(s.movements("payment").await, 1);
    s.ledger_verify().await;
}

#[tokio::test]
async fn the_personal_account_is_topped_up_spent_refunded_and_tells_its_owner() {
    let (a, b) = (uin(9), uin(10));
    let s = scene(&[&a, &b]).await;
    s.top_up("top-1", 100000).await;
    assert_eq!(s.balance().await, 100000);

    // A session alone does not spend the balance: the password is asked
    // again, and a wrong one counts like a wrong login.
    for (key, typed, rule) in [
        ("bal-0", "", "required"),
        ("bal-1", "Wrong-Password-1", "password-wrong"),
    ] {
        let r = s
            .pay(
                key,
                json!({ "charges": [a], "method": "balance", "password": typed }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = json_of(r).await;
        assert_eq!(body["errors"][0]["field"], "password", "{body}");
        assert_eq!(body["errors"][0]["code"], rule);
    }
    assert_eq!(s.balance().await, 100000, "nothing was spent");
    assert_eq!(s.charge(&a).await["status"], "unpaid");

    // Two fines of 750 ₽ from a balance of 1 000 ₽, at once: one is paid.
    let both = futures::future::join_all([
        s.pay(
            "bal-a",
            json!({ "charges": [a], "method": "balance", "password": PASSWORD }),
        ),
        s.pay(
            "bal-b",
            json!({ "charges": [b], "method": "balance", "password": PASSWORD }),
        ),
    ])
    .await;
    let statuses: Vec<StatusCode> = both.iter().map(|r| r.status()).collect();
    assert!(
        statuses.contains(&StatusCode::CREATED) && statuses.contains(&StatusCode::CONFLICT),
        "{statuses:?}"
    );
    for r in both {
        let body = json_of(r).await;
        if body["state"] == "succeeded" {
            assert!(body["operation_number"].as_str().unwrap().starts_with("П-"));
        } else {
            assert_eq!(body["code"], "balance-insufficient", "{body}");
            assert_eq!(
                body["detail"],
                "На лицевом счёте недостаточно средств: 250\u{a0}₽"
            );
        }
    }
    assert_eq!(s.balance().await, 25000);

    let r = s
        .app
        .post_auth(
            "/api/v1/account/refunds",
            &s.payer.token,
            json!({ "amount_kopecks": 30000 }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "more than the balance");
    let r = s
        .app
        .post_auth(
            "/api/v1/account/refunds",
            &s.payer.token,
            json!({ "amount_kopecks": 0 }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = s
        .app
        .post_auth(
            "/api/v1/account/refunds",
            &s.payer.token,
            json!({ "amount_kopecks": 20000 }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(json_of(r).await["state"], "succeeded");
    assert_eq!(s.balance().await, 5000);
    let acquirer_id = s
        .app
        .raw_text("SELECT acquirer_payment_id FROM payment_intents WHERE purpose = 'top_up'")
        .await[0]
        .clone()
        .unwrap();
    let at_bank: Value = s
        .app
        .acquirer(Method::GET, &format!("/v1/payments/{acquirer_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(at_bank["refunded_kopecks"], 20000, "the card got it back");

    let history = json_of(
        s.app
            .get_auth("/api/v1/account/history", &s.payer.token)
            .await,
    )
    .await;
    let lines: Vec<(&str, i64)> = history["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().unwrap(),
                l["amount_kopecks"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [("top_up", 100000), ("payment", -75000), ("refund", -20000)]
    );
    assert_eq!(history["closing_kopecks"], 5000);
    let refunds = json_of(
        s.app
            .get_auth(
                "/api/v1/account/history?kind=refund&from=2026-11-24&to=2026-11-24",
                &s.payer.token,
            )
            .await,
    )
    .await;
    assert_eq!(refunds["lines"].as_array().unwrap().len(), 1);
    assert_eq!(refunds["opening_kopecks"], 0);
    let reversed = s
        .app
        .get_auth(
            "/api/v1/account/history?from=2026-11-25&to=2026-11-24",
            &s.payer.token,
        )
        .await;
    assert_eq!(reversed.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let notices = json_of(
        s.app
            .get_auth("/api/v1/notifications", &s.payer.token)
            .await,
    )
    .await;
    let titles: Vec<&str> = notices["items"]
        .as_array()
        .or(notices.as_array())
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Зачислено на лицевой счёт 1\u{a0}000\u{a0}₽"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Списано с лицевого счёта 200\u{a0}₽"),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Оплачено 750\u{a0}₽, операция П-2026-")),
        "{titles:?}"
    );
    let mails = s.app.mails();
    assert!(
        mails
            .iter()
            .any(|(_, subject, _)| subject.contains("Зачислено на лицевой счёт")),
        "{mails:?}"
    );
    assert_eq!(s.movements("refund").await, 1);
    s.ledger_verify().await;
}

#[tokio::test]
async fn payments_speak_xml_and_refuse_in_english_when_asked() {
    let fine_uin = uin(80);
    let s = scene(&[&fine_uin]).await;
    let post = |key: &'static str, body: String| {
        s.app
            .http
            .post(s.app.url("/api/v1/payments"))
            .bearer_auth(&s.payer.token)
            .header("Idempotency-Key", key)
            .header("content-type", "application/xml")
            .header("accept", "application/xml")
            .header("accept-language", "en")
            .body(body)
            .send()
    };
    let card = |number: &str| {
        format!(
            "<payment><charges><item>{fine_uin}</item></charges><method>card</method>\
             <card><number>{number}</number><expiry>12/30</expiry><cvc>123</cvc></card></payment>"
        )
    };
    let r = post("xml-bad", card("4111 1111 1111 1112")).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(text.contains("<field>card.number</field>"), "{text}");
    assert!(text.contains("<code>card-number-checksum</code>"), "{text}");
    assert!(text.contains("check digit"), "English message: {text}");
    let mine = json_of(s.app.get_auth("/api/v1/payments", &s.payer.token).await).await;
    assert_eq!(mine, json!([]), "nothing started");

    let r = post("xml-good", card(GOOD_CARD)).await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("<state>requires_confirmation</state>"),
        "{text}"
    );
    assert!(
        text.contains(&format!("<charges><item><amount_kopecks>75000</amount_kopecks><uin>{fine_uin}</uin></item></charges>")),
        "{text}"
    );
}
