//! Driving the cabinet in a real browser: Debian's Chromium over WebDriver by
//! chromedriver, against the real server. `scripts/test.sh` installs both.
//! Outside CI a machine without them skips with a reason; with CI=true that is
//! a failure.

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
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
