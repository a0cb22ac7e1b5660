//! The cabinet's identity pages: registration, confirmation, login with the
//! second factor, profile, security (sessions, login journal, own audit trail),
//! and the demo SMS inbox. They call the same services as the API.

mod contacts;

use super::auth::{MaybeUser, SESSION_COOKIE};
use super::http::session_cookie;
use super::model::ProfileInput;
use super::service::{self, LoginInput, RegisterInput};
use crate::visit::Visit;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use sep_kernel::{FieldError, Phone};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::show;
use sep_platform::throttle::Cost;
use sep_platform::throttle::http::limited;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::CsrfToken;
use sep_web::{Chrome, FieldSpec, FieldView, field_views, form_level_errors, render};
use serde::Deserialize;
use uuid::Uuid;

pub fn auth_routes() -> Router<Platform> {
    Router::new()
        .route(
            "/register",
            get(register_page).merge(limited(Cost::SignIn, post(register_submit))),
        )
        .route(
            "/register/confirm",
            get(confirm_page).merge(limited(Cost::SignIn, post(confirm_submit))),
        )
        .route(
            "/register/resend",
            limited(Cost::SignIn, post(resend_submit)),
        )
        .route(
            "/login",
            get(login_page).merge(limited(Cost::SignIn, post(login_submit))),
        )
        .route(
            "/login/code",
            get(code_page).merge(limited(Cost::SignIn, post(code_submit))),
        )
}

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/", limited(Cost::Public, get(home)))
        .route("/profile", get(profile_page).post(profile_submit))
        .route("/security", get(security_page))
        .route("/sessions/{id}/end", post(end_session_submit))
        .route("/logout", post(logout_submit))
        .route("/demo/sms", get(demo_sms))
        .merge(contacts::routes())
}

/// A form page: title, inputs, errors, and where it posts.
#[derive(Template)]
#[template(path = "identity/form.html")]
struct FormPage {
    chrome: Chrome,
    title: String,
    intro: Option<String>,
    action: String,
    submit: String,
    fields: Vec<FieldView>,
    hidden: Vec<(&'static str, String)>,
    form_errors: Vec<String>,
    notice: Option<String>,
    extra: Vec<(String, String)>,
    consent: bool,
}

impl FormPage {
    fn new(chrome: Chrome, key: &str, action: &str, fields: Vec<FieldView>) -> Self {
        let tr = chrome.tr;
        Self {
            title: tr.t(&format!("page-{key}")),
            intro: Some(tr.t(&format!("intro-{key}"))).filter(|s| !s.starts_with("intro-")),
            submit: tr.t(&format!("submit-{key}")),
            chrome,
            action: action.into(),
            fields,
            hidden: Vec::new(),
            form_errors: Vec::new(),
            notice: None,
            extra: Vec::new(),
            consent: false,
        }
    }
}

fn chrome(p: &Platform, client: &Client, user: &MaybeUser, csrf: &CsrfToken) -> Chrome {
    crate::visit::chrome(p, client.lang, user, csrf)
}

/// A refused submit shows the same form again with the messages; anything
/// else (locked, too many tries) goes to the error page.
fn refused(err: AppError, show_form: impl FnOnce(&[FieldError]) -> Response) -> Response {
    match err {
        AppError::Invalid(ref e) | AppError::Conflict(ref e) => {
            let mut r = show_form(e);
            *r.status_mut() = err.status();
            r
        }
        AppError::CodeRefused(ref e) => {
            let mut r = show_form(std::slice::from_ref(e));
            *r.status_mut() = err.status();
            r
        }
        other => other.into_response(),
    }
}

// --- home ---

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
}

async fn home(v: Visit) -> Response {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    render(&Home {
        chrome: chrome(&p, &client, &user, &csrf),
    })
}

// --- registration ---

const REGISTER: &[FieldSpec] = &[
    ("phone", "tel", "tel", true),
    ("email", "email", "email", true),
    ("password", "password", "new-password", true),
];

#[derive(Deserialize, Default)]
#[serde(default)]
struct RegisterForm {
    csrf: String,
    phone: String,
    email: String,
    password: String,
    consent: Option<String>,
}

fn register_form(
    p: &Platform,
    client: &Client,
    user: &MaybeUser,
    csrf: &CsrfToken,
    form: &RegisterForm,
    errors: &[FieldError],
) -> Response {
    let value = |n: &str| match n {
        "phone" => form.phone.clone(),
        "email" => form.email.clone(),
        _ => String::new(),
    };
    let mut page = FormPage::new(
        chrome(p, client, user, csrf),
        "register",
        "/register",
        field_views(client.lang, REGISTER, value, errors),
    );
    page.consent = true;
    page.form_errors = form_level_errors(client.lang, REGISTER, errors);
    page.extra = vec![(client.lang.t("link-login"), "/login".into())];
    render(&page)
}

async fn register_page(v: Visit) -> Response {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    register_form(&p, &client, &user, &csrf, &RegisterForm::default(), &[])
}

async fn register_submit(v: Visit, Form(form): Form<RegisterForm>) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    csrf.check(&form.csrf)?;
    let input = RegisterInput {
        phone: form.phone.clone(),
        email: form.email.clone(),
        password: form.password.clone(),
        consent: Some(form.consent.is_some()),
    };
    Ok(match service::register(&p, &client, input).await {
        Ok(r) => Redirect::to(&format!("/register/confirm?phone={}", urlencode(&r.phone)))
            .into_response(),
        Err(e) => refused(e, |errors| {
            register_form(&p, &client, &user, &csrf, &form, errors)
        }),
    })
}

// --- confirmation ---

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmForm {
    csrf: String,
    phone: String,
    code: String,
    channel: String,
}

const CONFIRM: &[FieldSpec] = &[("code", "text", "one-time-code", true)];

fn confirm_form(
    p: &Platform,
    client: &Client,
    user: &MaybeUser,
    csrf: &CsrfToken,
    phone: &str,
    notice: Option<String>,
    errors: &[FieldError],
) -> Response {
    let mut page = FormPage::new(
        chrome(p, client, user, csrf),
        "confirm",
        "/register/confirm",
        field_views(client.lang, CONFIRM, |_| String::new(), errors),
    );
    page.hidden = vec![("phone", phone.to_string())];
    page.form_errors = form_level_errors(client.lang, CONFIRM, errors);
    page.notice = notice;
    page.extra = vec![
        (
            client.lang.t("resend-sms"),
            format!("/register/resend?channel=sms&phone={}", urlencode(phone)),
        ),
        (
            client.lang.t("resend-email"),
            format!("/register/resend?channel=email&phone={}", urlencode(phone)),
        ),
    ];
    render(&page)
}

#[derive(Deserialize)]
struct PhoneQuery {
    phone: Option<String>,
}

async fn confirm_page(v: Visit, Query(q): Query<PhoneQuery>) -> Response {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    let phone = q.phone.unwrap_or_default();
    let notice = sep_kernel::Phone::parse(&phone).ok().map(|ph| {
        client
            .lang
            .t_args("notice-code-sent", &[("to", ph.masked().into())])
    });
    confirm_form(&p, &client, &user, &csrf, &phone, notice, &[])
}

async fn confirm_submit(v: Visit, Form(form): Form<ConfirmForm>) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    csrf.check(&form.csrf)?;
    Ok(
        match service::confirm_registration(&p, &client, &form.phone, &form.code).await {
            Ok(_) => Redirect::to("/login?registered=1").into_response(),
            Err(e) => refused(e, |errors| {
                confirm_form(&p, &client, &user, &csrf, &form.phone, None, errors)
            }),
        },
    )
}

async fn resend_submit(
    v: Visit,
    Query(q): Query<ConfirmForm>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    csrf.check(&form.csrf)?;
    let phone = if form.phone.is_empty() {
        q.phone
    } else {
        form.phone
    };
    let channel = if form.channel.is_empty() {
        q.channel
    } else {
        form.channel
    };
    Ok(
        match service::resend_registration_code(&p, &client, &phone, &channel).await {
            Ok(r) => confirm_form(
                &p,
                &client,
                &user,
                &csrf,
                &phone,
                Some(
                    client
                        .lang
                        .t_args("notice-code-sent", &[("to", r.code_sent_to.into())]),
                ),
                &[],
            ),
            Err(AppError::TooMany {
                retry_after_secs, ..
            }) => confirm_form(
                &p,
                &client,
                &user,
                &csrf,
                &phone,
                Some(client.lang.t_args(
                    "notice-resend-wait",
                    &[("seconds", retry_after_secs.into())],
                )),
                &[],
            ),
            Err(e) => refused(e, |errors| {
                confirm_form(&p, &client, &user, &csrf, &phone, None, errors)
            }),
        },
    )
}

// --- login ---

const LOGIN: &[FieldSpec] = &[
    ("login", "text", "username", true),
    ("password", "password", "current-password", true),
];

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    csrf: String,
    login: String,
    password: String,
}

#[derive(Deserialize)]
struct LoginQuery {
    registered: Option<String>,
    back: Option<String>,
}

/// Where to go after logging in: the page that asked for it, if it is ours.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Back {
    back: String,
}

impl Back {
    fn target(&self) -> Option<&str> {
        sep_web::local_path(&self.back)
    }

    fn query(&self) -> String {
        self.target()
            .map(|b| format!("back={}", sep_web::urlencoding_path(b)))
            .unwrap_or_default()
    }
}

// The page's parts, positionally: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn login_form(
    p: &Platform,
    client: &Client,
    user: &MaybeUser,
    csrf: &CsrfToken,
    login: &str,
    notice: Option<String>,
    errors: &[FieldError],
    back: &Back,
) -> Response {
    let action = match back.query() {
        q if q.is_empty() => "/login".to_string(),
        q => format!("/login?{q}"),
    };
    let mut page = FormPage::new(
        chrome(p, client, user, csrf),
        "login",
        &action,
        field_views(client.lang, LOGIN, |_| login.to_string(), errors),
    );
    page.form_errors = form_level_errors(client.lang, LOGIN, errors);
    page.notice = notice;
    page.extra = vec![(client.lang.t("link-register"), "/register".into())];
    render(&page)
}

async fn login_page(v: Visit, Query(q): Query<LoginQuery>) -> Response {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    let notice = q.registered.map(|_| client.lang.t("notice-registered"));
    let back = Back {
        back: q.back.unwrap_or_default(),
    };
    login_form(&p, &client, &user, &csrf, "", notice, &[], &back)
}

async fn login_submit(
    v: Visit,
    Query(back): Query<Back>,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    csrf.check(&form.csrf)?;
    Ok(
        match service::login(
            &p,
            &client,
            LoginInput {
                login: form.login.clone(),
                password: form.password,
            },
        )
        .await
        {
            Ok(c) => Redirect::to(&format!(
                "/login/code?challenge={}&method={}&{}",
                c.challenge_id,
                c.method,
                back.query()
            ))
            .into_response(),
            Err(AppError::Unauthorized(rule)) => {
                let mut r = login_form(
                    &p,
                    &client,
                    &user,
                    &csrf,
                    &form.login,
                    None,
                    &[FieldError::new("form", rule)],
                    &back,
                );
                *r.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
                r
            }
            Err(e) => refused(e, |errors| {
                login_form(&p, &client, &user, &csrf, &form.login, None, errors, &back)
            }),
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeForm {
    csrf: String,
    challenge: String,
    method: String,
    code: String,
}

// The page's parts, positionally: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn code_form(
    p: &Platform,
    client: &Client,
    user: &MaybeUser,
    csrf: &CsrfToken,
    challenge: &str,
    method: &str,
    errors: &[FieldError],
    back: &Back,
) -> Response {
    let action = match back.query() {
        q if q.is_empty() => "/login/code".to_string(),
        q => format!("/login/code?{q}"),
    };
    let mut page = FormPage::new(
        chrome(p, client, user, csrf),
        "login-code",
        &action,
        field_views(client.lang, CONFIRM, |_| String::new(), errors),
    );
    page.hidden = vec![
        ("challenge", challenge.to_string()),
        ("method", method.to_string()),
    ];
    page.intro = Some(client.lang.t(if method == "totp" {
        "intro-login-code-totp"
    } else {
        "intro-login-code-sms"
    }));
    page.form_errors = form_level_errors(client.lang, CONFIRM, errors);
    page.extra = vec![(client.lang.t("link-login-again"), "/login".into())];
    render(&page)
}

async fn code_page(v: Visit, Query(q): Query<CodeForm>, Query(back): Query<Back>) -> Response {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    code_form(
        &p,
        &client,
        &user,
        &csrf,
        &q.challenge,
        &q.method,
        &[],
        &back,
    )
}

async fn code_submit(
    v: Visit,
    jar: CookieJar,
    Query(back): Query<Back>,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    csrf.check(&form.csrf)?;
    Ok(
        match service::confirm_login(&p, &client, &form.challenge, &form.code).await {
            Ok(session) => (
                jar.add(session_cookie(&p, &session)),
                Redirect::to(back.target().unwrap_or("/profile")),
            )
                .into_response(),
            Err(e) => refused(e, |errors| {
                code_form(
                    &p,
                    &client,
                    &user,
                    &csrf,
                    &form.challenge,
                    &form.method,
                    errors,
                    &back,
                )
            }),
        },
    )
}

// --- profile ---

const PROFILE: &[FieldSpec] = &[
    ("last_name", "text", "family-name", true),
    ("first_name", "text", "given-name", true),
    ("patronymic", "text", "additional-name", false),
    ("birth_date", "text", "bday", false),
    ("inn", "text", "off", false),
    ("snils", "text", "off", false),
    ("passport_series", "text", "off", false),
    ("passport_number", "text", "off", false),
    ("postcode", "text", "postal-code", false),
    ("region_code", "text", "off", false),
    ("address", "text", "street-address", false),
];

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProfileForm {
    csrf: String,
    #[serde(flatten)]
    fields: ProfileInput,
}

fn value_of(input: &ProfileInput, name: &str) -> String {
    match name {
        "last_name" => &input.last_name,
        "first_name" => &input.first_name,
        "patronymic" => &input.patronymic,
        "birth_date" => &input.birth_date,
        "inn" => &input.inn,
        "snils" => &input.snils,
        "passport_series" => &input.passport_series,
        "passport_number" => &input.passport_number,
        "postcode" => &input.postcode,
        "region_code" => &input.region_code,
        "address" => &input.address,
        _ => "",
    }
    .to_string()
}

#[derive(Template)]
#[template(path = "identity/profile.html")]
struct ProfilePage {
    chrome: Chrome,
    view: service::ProfileView,
    phone: String,
    second_factor: String,
    level: String,
    fields: Vec<FieldView>,
    form_errors: Vec<String>,
    notice: Option<String>,
}

fn login_redirect() -> Response {
    Redirect::to("/login").into_response()
}

async fn profile_view(
    p: &Platform,
    client: &Client,
    user: &MaybeUser,
    csrf: &CsrfToken,
    input: Option<&ProfileInput>,
    notice: Option<String>,
    errors: &[FieldError],
) -> Result<Response> {
    let Some(who) = &user.0 else {
        return Ok(login_redirect());
    };
    let view = service::get_profile(p, who, who.user_id).await?;
    let shown = input.unwrap_or(&view.fields);
    let fields = field_views(client.lang, PROFILE, |n| value_of(shown, n), errors);
    let level = client.lang.t(&format!("level-{}", view.level));
    let phone = Phone::parse(&view.phone).map_or_else(|_| view.phone.clone(), |p| p.to_string());
    let second_factor = client.lang.t(&format!("factor-{}", view.second_factor));
    Ok(render(&ProfilePage {
        chrome: chrome(p, client, user, csrf),
        phone,
        second_factor,
        view,
        level,
        fields,
        form_errors: form_level_errors(client.lang, PROFILE, errors),
        notice,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProfileQuery {
    done: String,
}

/// After a change the browser is sent back here (post/redirect/get, so a reload
/// does not resubmit); `done` names which notice to show. Only known ones show.
const PROFILE_NOTICES: &[&str] = &["saved", "phone-changed", "email-changed"];

async fn profile_page(v: Visit, Query(q): Query<ProfileQuery>) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    let notice = PROFILE_NOTICES
        .contains(&q.done.as_str())
        .then(|| client.lang.t(&format!("notice-{}", q.done)));
    profile_view(&p, &client, &user, &csrf, None, notice, &[]).await
}

async fn profile_submit(v: Visit, Form(form): Form<ProfileForm>) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    let Some(who) = &user.0 else {
        return Ok(login_redirect());
    };
    csrf.check(&form.csrf)?;
    match service::update_profile(&p, &client, who, who.user_id, form.fields.clone()).await {
        Ok(_) => Ok(Redirect::to("/profile?done=saved").into_response()),
        Err(AppError::Invalid(errors) | AppError::Conflict(errors)) => {
            let mut r =
                profile_view(&p, &client, &user, &csrf, Some(&form.fields), None, &errors).await?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e),
    }
}

// --- security: sessions, login journal, own audit trail ---

struct Row {
    cells: Vec<String>,
    id: Option<Uuid>,
    current: bool,
}

#[derive(Template)]
#[template(path = "identity/security.html")]
struct SecurityPage {
    chrome: Chrome,
    sessions: Vec<Row>,
    logins: Vec<Row>,
    trail: Vec<Row>,
}

async fn security_page(v: Visit) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    let Some(who) = &user.0 else {
        return Ok(login_redirect());
    };
    let lang = client.lang;
    let sessions = service::list_sessions(&p, who)
        .await?
        .into_iter()
        .map(|s| Row {
            cells: vec![
                show(s.created_at),
                show(s.last_seen_at),
                s.ip,
                s.user_agent,
                s.methods,
            ],
            id: Some(s.id),
            current: s.current,
        })
        .collect();
    let logins = service::login_journal(&p, who.user_id)
        .await?
        .into_iter()
        .map(|e| Row {
            cells: vec![
                show(e.at),
                e.ip,
                e.user_agent,
                e.methods,
                lang.t(&format!("login-result-{}", e.result)),
            ],
            id: None,
            current: false,
        })
        .collect();
    let trail = sep_audit::list_for_actor(&*p.db, who.user_id, None, 50)
        .await?
        .into_iter()
        .map(|r| Row {
            cells: vec![
                show(r.at),
                lang.t(&format!("action-{}", r.action.replace('.', "-"))),
                r.result,
                r.ip,
            ],
            id: None,
            current: false,
        })
        .collect();
    Ok(render(&SecurityPage {
        chrome: chrome(&p, &client, &user, &csrf),
        sessions,
        logins,
        trail,
    }))
}

async fn end_session_submit(
    v: Visit,
    Path(id): Path<Uuid>,
    Form(form): Form<sep_web::csrf::CsrfForm>,
) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    let Some(who) = &user.0 else {
        return Ok(login_redirect());
    };
    csrf.check(&form.csrf)?;
    service::end_session(&p, &client, who, id).await?;
    Ok(Redirect::to(if id == who.session_id {
        "/login"
    } else {
        "/security"
    })
    .into_response())
}

async fn logout_submit(
    v: Visit,
    jar: CookieJar,
    Form(form): Form<sep_web::csrf::CsrfForm>,
) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    csrf.check(&form.csrf)?;
    if let Some(who) = &user.0 {
        service::end_session(&p, &client, who, who.session_id).await?;
    }
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/"),
    )
        .into_response())
}

// --- demo SMS inbox ---

#[derive(Template)]
#[template(path = "identity/sms.html")]
struct SmsInbox {
    chrome: Chrome,
    messages: Vec<(String, String, String)>,
}

/// Shows the SMS the file gateway wrote, newest first. Demo mode only: in
/// production the gateway is real and this page does not exist.
async fn demo_sms(v: Visit) -> Result<Response> {
    let Visit {
        p,
        client,
        user,
        csrf,
    } = v;
    if !p.config.demo {
        return Err(AppError::NotFound);
    }
    let text = tokio::fs::read_to_string(p.config.outbox_dir().join("sms.jsonl"))
        .await
        .unwrap_or_default();
    let messages = text
        .lines()
        .rev()
        .take(50)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            (
                v["at"].as_str().unwrap_or("").into(),
                v["to"].as_str().unwrap_or("").into(),
                v["text"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    Ok(render(&SmsInbox {
        chrome: chrome(&p, &client, &user, &csrf),
        messages,
    }))
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
