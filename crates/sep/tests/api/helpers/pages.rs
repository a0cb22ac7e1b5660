//! Reading the cabinet's pages over plain HTTP: the session and CSRF
//! cookies a page request carries, a client that does not follow redirects.

use crate::helpers::*;

pub const CSRF: &str = "test-csrf-token-0123456789abcdef0123456789";

pub fn cookies(token: &str) -> String {
    format!("sep_session={token}; sep_csrf={CSRF}")
}

/// A page's HTML as the holder of `token` sees it.
pub async fn html(http: &reqwest::Client, app: &TestApp, path: &str, token: &str) -> String {
    http.get(app.url(path))
        .header("cookie", cookies(token))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A page as the holder of `token` gets it: status and HTML, redirects not followed.
pub async fn page(app: &TestApp, path: &str, token: &str) -> (reqwest::StatusCode, String) {
    let r = no_redirects()
        .get(app.url(path))
        .header("cookie", cookies(token))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}
