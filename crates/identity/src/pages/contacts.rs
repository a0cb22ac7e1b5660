//! Cabinet pages for changing the phone or email: the new contact and the
//! current password, then the code sent to the new contact.

use super::{FormPage, Visit, login_redirect, refused, urlencode};
use crate::{service, service::ContactChangeInput, service::ContactKind};
use axum::Router;
use axum::extract::Query;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use sep_kernel::FieldError;
use sep_platform::Platform;
use sep_platform::{error::AppError, error::Result};
use sep_web::csrf::CheckedForm;
use sep_web::{FieldSpec, field_views, form_level_errors, render};
use serde::Deserialize;

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/profile/phone", get(phone_page).post(phone_submit))
        .route("/profile/email", get(email_page).post(email_submit))
        .route(
            "/profile/contacts/confirm",
            get(confirm_page).post(confirm_submit),
        )
}

const PHONE: &[FieldSpec] = &[
    ("phone", "tel", "tel", true),
    ("password", "password", "current-password", true),
];
const EMAIL: &[FieldSpec] = &[
    ("email", "email", "email", true),
    ("password", "password", "current-password", true),
];
const CODE: &[FieldSpec] = &[("code", "text", "one-time-code", true)];

fn specs(kind: ContactKind) -> &'static [FieldSpec] {
    match kind {
        ContactKind::Phone => PHONE,
        ContactKind::Email => EMAIL,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChangeForm {
    csrf: String,
    phone: String,
    email: String,
    password: String,
}

impl ChangeForm {
    fn value(&self, kind: ContactKind) -> &str {
        match kind {
            ContactKind::Phone => &self.phone,
            ContactKind::Email => &self.email,
        }
    }
}

fn change_form(
    v: &Visit,
    kind: ContactKind,
    typed: &str,
    notice: Option<String>,
    errors: &[FieldError],
) -> Response {
    let lang = v.client.lang;
    let key = format!("change-{}", kind.field());
    let mut page = FormPage::new(
        v.chrome(),
        &key,
        &format!("/profile/{}", kind.field()),
        field_views(lang, specs(kind), |_| typed.to_string(), errors),
    );
    page.form_errors = form_level_errors(lang, specs(kind), errors);
    page.notice = notice;
    page.extra = vec![(lang.t("link-back-to-profile"), "/profile".into())];
    render(&page)
}

fn show_change(v: &Visit, kind: ContactKind) -> Response {
    if v.user.0.is_none() {
        return login_redirect();
    }
    change_form(v, kind, "", None, &[])
}

async fn phone_page(v: Visit) -> Response {
    show_change(&v, ContactKind::Phone)
}

async fn email_page(v: Visit) -> Response {
    show_change(&v, ContactKind::Email)
}

async fn submit_change(v: Visit, kind: ContactKind, form: ChangeForm) -> Result<Response> {
    let Some(who) = &v.user.0 else {
        return Ok(login_redirect());
    };
    let typed = form.value(kind).to_string();
    let input = ContactChangeInput {
        value: typed.clone(),
        password: form.password,
    };
    Ok(
        match service::start_contact_change(&v.p, &v.client, who, kind, input).await {
            Ok(started) => Redirect::to(&format!(
                "/profile/contacts/confirm?change={}&to={}",
                started.change_id,
                urlencode(&started.code_sent_to)
            ))
            .into_response(),
            Err(AppError::TooMany {
                retry_after_secs, ..
            }) => {
                let wait = v.client.lang.t_args(
                    "notice-resend-wait",
                    &[("seconds", retry_after_secs.into())],
                );
                let mut r = change_form(&v, kind, &typed, Some(wait), &[]);
                *r.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
                r
            }
            Err(e) => refused(e, |errors| change_form(&v, kind, &typed, None, errors)),
        },
    )
}

async fn phone_submit(v: Visit, CheckedForm(form): CheckedForm<ChangeForm>) -> Result<Response> {
    submit_change(v, ContactKind::Phone, form).await
}

async fn email_submit(v: Visit, CheckedForm(form): CheckedForm<ChangeForm>) -> Result<Response> {
    submit_change(v, ContactKind::Email, form).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmForm {
    csrf: String,
    change: String,
    to: String,
    code: String,
}

fn code_form(v: &Visit, change: &str, to: &str, errors: &[FieldError]) -> Response {
    let lang = v.client.lang;
    let mut page = FormPage::new(
        v.chrome(),
        "contact-code",
        "/profile/contacts/confirm",
        field_views(lang, CODE, |_| String::new(), errors),
    );
    page.hidden = vec![("change", change.to_string()), ("to", to.to_string())];
    if !to.is_empty() {
        page.notice = Some(lang.t_args("notice-code-sent", &[("to", to.to_string().into())]));
    }
    page.form_errors = form_level_errors(lang, CODE, errors);
    page.extra = vec![(lang.t("link-back-to-profile"), "/profile".into())];
    render(&page)
}

async fn confirm_page(v: Visit, Query(q): Query<ConfirmForm>) -> Response {
    if v.user.0.is_none() {
        return login_redirect();
    }
    code_form(&v, &q.change, &q.to, &[])
}

async fn confirm_submit(v: Visit, CheckedForm(form): CheckedForm<ConfirmForm>) -> Result<Response> {
    let Some(who) = &v.user.0 else {
        return Ok(login_redirect());
    };
    Ok(
        match service::confirm_contact_change(&v.p, &v.client, who, &form.change, &form.code).await
        {
            Ok(kind) => {
                Redirect::to(&format!("/profile?done={}-changed", kind.field())).into_response()
            }
            Err(e) => refused(e, |errors| code_form(&v, &form.change, &form.to, errors)),
        },
    )
}
