//! Logging in: password, then the second factor.

use super::*;

// --- login ---

pub(super) const LOGIN: &[FieldSpec] = &[
    ("login", "text", "username", true),
    ("password", "password", "current-password", true),
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct LoginForm {
    csrf: String,
    login: String,
    password: String,
}

#[derive(Deserialize)]
pub(super) struct LoginQuery {
    registered: Option<String>,
    back: Option<String>,
}

/// Where to go after logging in: the page that asked for it, if it is ours.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Back {
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
pub(super) fn login_form(
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

pub(super) async fn login_page(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
    Query(q): Query<LoginQuery>,
) -> Response {
    let notice = q.registered.map(|_| client.lang.t("notice-registered"));
    let back = Back {
        back: q.back.unwrap_or_default(),
    };
    login_form(&p, &client, &user, &csrf, "", notice, &[], &back)
}

pub(super) async fn login_submit(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
    Query(back): Query<Back>,
    CheckedForm(form): CheckedForm<LoginForm>,
) -> Result<Response> {
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
pub(super) struct CodeForm {
    csrf: String,
    challenge: String,
    method: String,
    code: String,
}

// The page's parts, positionally: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub(super) fn code_form(
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

pub(super) async fn code_page(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
    Query(q): Query<CodeForm>,
    Query(back): Query<Back>,
) -> Response {
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

pub(super) async fn code_submit(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
    jar: CookieJar,
    Query(back): Query<Back>,
    CheckedForm(form): CheckedForm<CodeForm>,
) -> Result<Response> {
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
