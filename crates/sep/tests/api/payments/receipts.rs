//! Payment documents: receipts (квитанции) of paid charges — the data, the
//! PDF read back with poppler, its QR code read back with zbar and followed
//! to the public check, the copy mailed — and the personal account's
//! statement for a period as PDF and XLSX.

use crate::helpers::*;
use crate::payments::api::{GOOD_CARD, Scene, by_card, scene, uin};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::json;

/// A file the payer downloads: its `Content-Disposition` and bytes, checked
/// to be a 200 of `media_type`.
async fn download(s: &Scene, path: &str, media_type: &str) -> (String, Vec<u8>) {
    let r = s.app.get_auth(path, &s.payer.token).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()[CONTENT_TYPE], media_type);
    let disposition = r.headers()[CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    (disposition, r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_paid_fine_has_a_receipt_that_reads_in_russian_and_whose_qr_code_checks_it() {
    let s = scene(&[&uin(1)]).await;
    let paid = s.pay_fully("receipt-1", &[&uin(1)]).await;
    let id = paid["id"].as_str().unwrap();
    let number = paid["operation_number"].as_str().unwrap();
    assert!(number.starts_with("П-2026-"), "{number}");

    let r = s
        .app
        .get_auth(&format!("/api/v1/payments/{id}/receipt"), &s.payer.token)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let receipt = json_of(r).await;
    assert_eq!(receipt["operation_number"], number);
    assert_eq!(receipt["payer"], "Петрова Анна Сергеевна");
    assert_eq!(receipt["amount_kopecks"], 75_000);
    assert_eq!(receipt["lines"][0]["uin"], uin(1).as_str());
    assert_eq!(receipt["lines"][0]["payee_inn"], "7707083893");

    // The XML door says the same.
    let xml = s
        .app
        .http
        .get(s.app.url(&format!("/api/v1/payments/{id}/receipt")))
        .bearer_auth(&s.payer.token)
        .header(ACCEPT, "application/xml")
        .send()
        .await
        .unwrap();
    assert_eq!(xml.status(), StatusCode::OK);
    let xml = xml.text().await.unwrap();
    assert!(
        xml.contains(&format!("<operation_number>{number}</operation_number>")),
        "{xml}"
    );

    let (disposition, pdf) = download(
        &s,
        &format!("/api/v1/payments/{id}/receipt.pdf"),
        "application/pdf",
    )
    .await;
    assert!(
        disposition.contains("filename*=UTF-8''%D0%9A%D0%B2%D0%B8%D1%82"),
        "{disposition}"
    );
    assert!(pdf.starts_with(b"%PDF-"));
    if !tools_present(&PDF_TOOLS) {
        return;
    }
    let text = pdf_text(&pdf);
    for expected in [
        format!("Квитанция об оплате № {number}"),
        "Исполнен".to_string(),
        "Петрова Анна Сергеевна".to_string(),
        uin(1),
        "Штраф ГИБДД по постановлению 18810177260000000001".to_string(),
        "УФК по г. Москве (ГУ МВД России по г. Москве)".to_string(),
        "7707083893 / 773601001".to_string(),
        "044525225".to_string(),
        "30101810400000000225".to_string(),
        "750,00 ₽".to_string(),
        "Банковская карта".to_string(),
        "стр. 1 из 1".to_string(),
    ] {
        assert!(text.contains(&expected), "«{expected}» not in:\n{text}");
    }
    assert!(
        !text.contains("1 500,00 ₽"),
        "the discount applies:\n{text}"
    );

    let codes = pdf_qr_codes(&pdf);
    assert_eq!(codes.len(), 1, "{codes:?}");
    let url = &codes[0];
    let path = url
        .strip_prefix(&s.app.platform.config.public_url())
        .unwrap_or_else(|| panic!("{url}"));
    assert!(path.starts_with(&format!("/receipts/{id}/")), "{path}");
    assert!(
        text.contains(url.as_str()),
        "the address is printed too:\n{text}"
    );

    // The same receipt went to the payer by mail.
    let email = format!("{}@example.ru", s.payer.phone.trim_start_matches('+'));
    // The mail is sent after the settling commit, so it may trail the state.
    let mut mailed = s.app.mail_attachments(&email);
    for _ in 0..250 {
        if !mailed.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        mailed = s.app.mail_attachments(&email);
    }
    assert_eq!(
        mailed.len(),
        1,
        "{:?}",
        mailed.iter().map(|m| &m.1).collect::<Vec<_>>()
    );
    let (subject, name, bytes) = &mailed[0];
    assert!(subject.contains(number), "{subject}");
    assert_eq!(name, &format!("Квитанция {number}.pdf"));
    assert_eq!(bytes, &pdf, "the mailed receipt is the downloaded one");

    // Anyone holding the receipt can check it; the payer's name is masked.
    let check = s.app.get_json(&format!("/api/v1{path}")).await;
    assert_eq!(check["genuine"], true);
    assert_eq!(check["operation_number"], number);
    assert_eq!(check["payer"], "П****** А. С.");
    assert_eq!(check["amount_kopecks"], 75_000);
    assert_eq!(check["charges"][0]["uin"], uin(1).as_str());

    // A guessed code is not found, exactly like a payment that does not exist.
    let forged = s
        .app
        .http
        .get(
            s.app
                .url(&format!("/api/v1/receipts/{id}/00000000000000000000")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn no_receipt_before_the_payment_succeeds_and_none_for_strangers() {
    let s = scene(&[&uin(2)]).await;
    let id = s.start("receipt-2", by_card(&[&uin(2)], GOOD_CARD)).await;
    let r = s
        .app
        .get_auth(&format!("/api/v1/payments/{id}/receipt"), &s.payer.token)
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let problem = json_of(r).await;
    assert_eq!(problem["code"], "receipt-not-ready", "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Ждёт кода подтверждения"),
        "{problem}"
    );
    let r = s
        .app
        .get_auth(
            &format!("/api/v1/payments/{id}/receipt.pdf"),
            &s.payer.token,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    s.confirm(&id, &s.code()).await;
    s.until(&id, "succeeded").await;
    let (_, stranger) = s
        .app
        .user_with_role(sep_identity::model::Role::Citizen, "+79161260077")
        .await;
    for path in [
        format!("/api/v1/payments/{id}/receipt"),
        format!("/api/v1/payments/{id}/receipt.pdf"),
    ] {
        let r = s.app.get_auth(&path, &stranger).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn the_account_statement_for_a_period_reads_the_same_in_pdf_and_xlsx() {
    let s = scene(&[&uin(3)]).await;
    let top = s.top_up("st-top", 100000).await;
    let r = s
        .pay(
            "st-pay",
            json!({ "charges": [uin(3)], "method": "balance", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let paid = json_of(r).await;
    assert_eq!(paid["state"], "succeeded");

    let period = "from=2026-11-01&to=2026-11-30";
    let (_, pdf) = download(
        &s,
        &format!("/api/v1/account/statement.pdf?{period}"),
        "application/pdf",
    )
    .await;
    if tools_present(&PDF_TOOLS) {
        let text = pdf_text(&pdf);
        for expected in [
            "Выписка по лицевому счёту с 01.11.2026 по 30.11.2026",
            "Петрова Анна Сергеевна",
            "Пополнение счёта",
            "1 000,00 ₽",
            "Оплата начислений со счёта",
            "−750,00 ₽",
            top["operation_number"].as_str().unwrap(),
            paid["operation_number"].as_str().unwrap(),
        ] {
            assert!(text.contains(expected), "«{expected}» not in:\n{text}");
        }
        let closing = text
            .lines()
            .find(|l| l.contains("Остаток на конец периода"))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(closing.contains("250,00 ₽"), "{closing}");
    }

    let (disposition, bytes) = download(
        &s,
        &format!("/api/v1/account/statement.xlsx?{period}"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    .await;
    assert!(disposition.ends_with(".xlsx"), "{disposition}");
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let sheet = book
        .worksheet_range("Выписка")
        .expect("the sheet «Выписка»");
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(1, 1), Data::String("Петрова Анна Сергеевна".into()));
    assert_eq!(cell(2, 3), Data::Float(0.0), "opening");
    assert_eq!(cell(5, 3), Data::Float(250.0), "closing");
    assert_eq!(cell(8, 1), Data::String("Пополнение счёта".into()));
    assert_eq!(cell(8, 3), Data::Float(1000.0));
    assert_eq!(cell(9, 3), Data::Float(-750.0));
    assert!(matches!(cell(8, 0), Data::DateTime(_)), "{:?}", cell(8, 0));

    // A period that ends before it starts is refused, by field.
    let r = s
        .app
        .get_auth(
            "/api/v1/account/statement.pdf?from=2026-11-30&to=2026-11-01",
            &s.payer.token,
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(r).await;
    assert_eq!(problem["errors"][0]["field"], "from", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "period-reversed", "{problem}");
}
