//! The cabinet in a real browser: Debian's Chromium driven over WebDriver by
//! chromedriver, against the real server. `scripts/test.sh` installs both.
//! Outside CI a machine without them skips with a reason; with CI=true that is
//! a failure.

use crate::helpers::TestApp;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use reqwest::StatusCode;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver on a free port; killed on drop so a failed test leaves nothing.
pub struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_driver() -> Option<Driver> {
    if !crate::helpers::tools_present(&[CHROMIUM, CHROMEDRIVER]) {
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    // chromedriver announces readiness on stdout; reading it avoids polling.
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let ready = lines.any(|l| l.is_ok_and(|l| l.contains("started successfully")));
    assert!(ready, "chromedriver did not start");
    std::thread::spawn(move || lines.for_each(drop));
    Some(Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

/// A browser session with a profile of its own: two of them are two people.
pub struct Browser {
    pub client: Client,
    _profile: tempfile::TempDir,
}

impl std::ops::Deref for Browser {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

pub async fn browser(driver: &Driver) -> Browser {
    let dir = tempfile::tempdir().expect("profile dir");
    let profile = format!("--user-data-dir={}", dir.path().display());
    // This machine has no outside network: the background-networking flags stop
    // Chromium from trying (and stalling on) Google's hosts at every start.
    let caps = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--window-size=1200,1600", profile,
            ],
            "prefs": { "intl.accept_languages": "ru-RU,ru" },
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    // chromedriver speaks plain HTTP on loopback: no TLS stack is needed.
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a browser session");
    Browser {
        client,
        _profile: dir,
    }
}

pub async fn fill(c: &Client, field: &str, value: &str) {
    let input = c
        .find(Locator::Id(&format!("f-{field}")))
        .await
        .unwrap_or_else(|_| panic!("a field {field}"));
    input.clear().await.expect("clear");
    input.send_keys(value).await.expect("type");
}

pub async fn submit(c: &Client) {
    c.find(Locator::Css("main form button[type=submit]"))
        .await
        .expect("a submit button")
        .click()
        .await
        .expect("click");
}

/// Waits for the navigation a submit started: WebDriver's click returns
/// before the next page has loaded.
pub async fn arrive(c: &Client, expected: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let url = c.current_url().await.expect("url");
        let ready = c
            .execute("return document.readyState", vec![])
            .await
            .expect("readyState");
        if url.path() == expected && ready == "complete" {
            return;
        }
        if std::time::Instant::now() > deadline {
            snapshot(c, "stuck").await;
            panic!("expected to arrive at {expected}, still at {}", url.path());
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

pub async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("an element {css}"))
        .text()
        .await
        .expect("text")
}

/// Saves what the browser shows, for a person looking at a failure.
pub async fn snapshot(c: &Client, name: &str) {
    if let Ok(png) = c.screenshot().await {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screens");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("{name}.png")), png);
    }
}

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

/// Logs in through the pages: password, then the SMS code.
pub async fn sign_in(c: &Browser, app: &crate::helpers::TestApp, phone: &str) {
    c.goto(&app.url("/login")).await.expect("open /login");
    fill(c, "login", phone).await;
    fill(c, "password", crate::helpers::PASSWORD).await;
    submit(c).await;
    arrive(c, "/login/code").await;
    fill(c, "code", &app.last_code(phone)).await;
    submit(c).await;
    arrive(c, "/profile").await;
}

pub async fn click(c: &Browser, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("an element {css}"))
        .click()
        .await
        .expect("click");
}

/// Waits until `css` shows `expected` (the page changes by itself).
pub async fn until_text(c: &Browser, css: &str, expected: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = match c.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now == expected {
            return;
        }
        if std::time::Instant::now() > deadline {
            snapshot(c, "until-text").await;
            panic!("{css} shows {now:?}, expected {expected:?}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
