//! The cabinet's shared page machinery: layout, language switch, CSRF, security
//! headers, the error page. Each context's `pages.rs` renders its own pages.

pub mod csrf;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use sep_kernel::i18n::Lang;
use sep_platform::Platform;
use sep_platform::error::AppError;
use serde::Deserialize;

/// Translator handed to templates: `{{ tr.t("key") }}`.
#[derive(Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> String {
        self.0.t(key)
    }

    pub fn code(&self) -> &'static str {
        self.0.code()
    }
}

/// What every page's layout needs.
pub struct Chrome {
    pub tr: Tr,
    pub logged_in: bool,
    pub csrf: String,
    pub demo: bool,
    pub is_admin: bool,
    pub is_officer: bool,
    pub unread: u64,
}

impl Chrome {
    /// The layout of a page for `lang`; `visitor` is who is logged in, if
    /// anyone (identity fills it in: this crate knows no users).
    pub fn new(p: &Platform, lang: Lang, visitor: Option<Visitor>, csrf: &csrf::CsrfToken) -> Self {
        let v = visitor.unwrap_or_default();
        Self {
            tr: Tr(lang),
            logged_in: v.logged_in,
            csrf: csrf.0.clone(),
            demo: p.config.demo,
            is_admin: v.is_admin,
            is_officer: v.is_officer,
            unread: v.unread,
        }
    }
}

/// What the header shows about the logged-in visitor.
#[derive(Debug, Clone, Copy, Default)]
pub struct Visitor {
    pub logged_in: bool,
    pub is_admin: bool,
    pub is_officer: bool,
    pub unread: u64,
}

/// Percent-encodes a local path for a query parameter.
pub fn urlencoding_path(path: &str) -> String {
    form_urlencoded::byte_serialize(path.as_bytes()).collect()
}

/// Renders a template or, if that fails, an internal error.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => AppError::Internal(e.into()).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    tr: Tr,
    status: u16,
    title: String,
    details: Vec<String>,
    request_id: &'a str,
}

/// The HTML face of an [`AppError`]: what happened, in the user's language,
/// and the request id to quote to support.
pub fn error_page(lang: Lang, err: &AppError, request_id: &str) -> String {
    let page = ErrorPage {
        tr: Tr(lang),
        status: err.status().as_u16(),
        title: lang.t(&format!("problem-{}", err.code())),
        details: err
            .field_errors()
            .iter()
            .map(|e| lang.field_error(e))
            .chain(err.refusal_message(lang))
            .collect(),
        request_id,
    };
    page.render().unwrap_or_else(|_| "error".into())
}

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/lang/{code}", get(switch_language))
        .route("/static/sep.css", get(stylesheet))
        .route("/static/sep.js", get(script))
        .route("/healthz", get(health))
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// `target` if it is a path on this site, else `None`: an open redirect
/// would help phishing. Browsers read `/\\host`, `/<TAB>/host` and the like as
/// another host, so any backslash, whitespace or control character refuses it.
pub fn local_path(target: &str) -> Option<&str> {
    let local = target.starts_with('/')
        && target.chars().nth(1) != Some('/')
        && target.len() <= 2048
        && !target
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    local.then_some(target)
}

async fn switch_language(
    Path(code): Path<String>,
    Query(back): Query<Back>,
    jar: CookieJar,
) -> (CookieJar, Redirect) {
    let lang = Lang::parse(&code).unwrap_or_default();
    let target = back
        .back
        .as_deref()
        .and_then(local_path)
        .unwrap_or("/")
        .to_string();
    let cookie = Cookie::build(("lang", lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .permanent()
        .build();
    (jar.add(cookie), Redirect::to(&target))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        include_str!("../static/sep.css"),
    )
}

async fn script() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        include_str!("../static/sep.js"),
    )
}

async fn health(axum::extract::State(p): axum::extract::State<Platform>) -> impl IntoResponse {
    if sep_platform::db::ping(&p.db).await {
        (axum::http::StatusCode::OK, "ok")
    } else {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        )
    }
}

/// Security headers on every response.
pub async fn security_headers(
    axum::extract::State(p): axum::extract::State<Platform>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // Only the shipped static files may be kept by a browser or a proxy:
    // every other answer may be personal, and after logout the Back button
    // must not show it from the cache.
    let cacheable = request.uri().path().starts_with("/static/");
    let mut r = next.run(request).await;
    let h = r.headers_mut();
    if !cacheable {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if p.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert("content-security-policy", HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    r
}

/// One input of a form, with its label, value and, after a refused submit, the
/// message naming what is wrong with it (shown next to it, linked by aria).
pub struct FieldView {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub required: bool,
}

/// (name, input type, autocomplete, required)
pub type FieldSpec = (&'static str, &'static str, &'static str, bool);

/// Builds a form's inputs from specs, values and the errors of the last submit.
pub fn field_views(
    lang: Lang,
    specs: &[FieldSpec],
    value: impl Fn(&str) -> String,
    errors: &[sep_kernel::FieldError],
) -> Vec<FieldView> {
    specs
        .iter()
        .map(|&(name, kind, autocomplete, required)| FieldView {
            name,
            label: lang.field(name),
            value: if kind == "password" {
                String::new()
            } else {
                value(name)
            },
            kind,
            autocomplete,
            // The password policy helps whoever chooses a password, not whoever types one.
            hint: Some(lang.t(&format!("hint-{name}")))
                .filter(|h| !h.starts_with("hint-") && autocomplete != "current-password"),
            error: errors
                .iter()
                .find(|e| e.field == name)
                .map(|e| lang.field_rule(e)),
            required,
        })
        .collect()
}

/// Errors that belong to no input of the form, shown above it.
pub fn form_level_errors(
    lang: Lang,
    specs: &[FieldSpec],
    errors: &[sep_kernel::FieldError],
) -> Vec<String> {
    errors
        .iter()
        .filter(|e| !specs.iter().any(|s| s.0 == e.field))
        .map(|e| lang.field_error(e))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_redirect_targets() {
        for ok in ["/", "/applications", "/applications/1?tab=history#top"] {
            assert_eq!(local_path(ok), Some(ok), "{ok}");
        }
        for bad in [
            "",
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example",
            "\\\\evil.example",
            "/ /evil.example",
            "evil.example",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(3000))), None);
    }

    proptest::proptest! {
        /// Whatever is typed, a target that passes starts with one slash and
        /// holds nothing a browser could read as another host.
        #[test]
        fn any_accepted_target_stays_here(target in "[/\\\\a-z.:%\t ]{0,24}") {
            if let Some(t) = local_path(&target) {
                proptest::prop_assert!(t.starts_with('/') && !t.starts_with("//"));
                proptest::prop_assert!(!t.contains('\\') && !t.contains(char::is_whitespace));
            }
        }
    }
}
