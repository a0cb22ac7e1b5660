//! The cabinet's identity pages: registration, confirmation, login with the
//! second factor, profile, security (sessions, login journal, own audit trail),
//! and the demo SMS inbox. They call the same services as the API.

mod contacts;
mod home;
mod login;
mod profile;
mod register;
mod security;
mod sms;
use home::*;
use login::*;
use profile::*;
use register::*;
use security::*;
use sms::*;

use super::auth::{MaybeUser, SESSION_COOKIE};
use super::http::session_cookie;
use super::model::ProfileInput;
use super::service::{self, LoginInput, RegisterInput};
use crate::visit::Visit;
use askama::Template;
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
use sep_web::csrf::CheckedForm;
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

fn login_redirect() -> Response {
    Redirect::to("/login").into_response()
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
