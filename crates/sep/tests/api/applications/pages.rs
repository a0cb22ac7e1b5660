//! The application form's page takes multipart posts: its CSRF field must
//! come first and match, so a forged post is refused before any file it
//! carries is read or stored.

use crate::helpers::pages::*;
use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

fn photo() -> Part {
    Part::bytes(b"\x89PNG\r\n\x1a\n-not-really".to_vec())
        .file_name("photo.png")
        .mime_str("image/png")
        .unwrap()
}

#[tokio::test]
async fn a_multipart_post_without_its_token_first_is_refused_before_its_files_are_kept() {
    let app = TestApp::with_catalog().await;
    let phone = app.citizen("+79161241101", "upload@example.ru").await;
    let token = app.login(&phone, &phone, PASSWORD).await;
    let post = |form: Form| {
        no_redirects()
            .post(app.url("/services/driving-licence-replacement/apply"))
            .header("cookie", cookies(&token))
            .multipart(form)
            .send()
    };
    let attachments = || async {
        app.raw_text("SELECT CAST(COUNT(*) AS TEXT) AS n FROM attachments")
            .await[0]
            .clone()
            .unwrap()
    };
    let cases = [
        ("no token", Form::new().part("photo", photo())),
        (
            "the file before the token",
            Form::new().part("photo", photo()).text("csrf", CSRF),
        ),
        (
            "a wrong token",
            Form::new()
                .text("csrf", "not-the-token")
                .part("photo", photo()),
        ),
    ];
    for (case, form) in cases {
        let r = post(form).await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{case}");
        assert_eq!(attachments().await, "0", "{case}: nothing kept");
    }
    // The same post with the token first is read: the photo is kept.
    let r = post(
        Form::new()
            .text("csrf", CSRF)
            .text("intent", "draft")
            .part("photo", photo()),
    )
    .await
    .unwrap();
    assert!(
        r.status().is_redirection() || r.status().is_success(),
        "{}",
        r.status()
    );
    assert_eq!(
        attachments().await,
        "1",
        "the photo of a genuine post is kept"
    );
}
