//! `/api/v1/auth`, `/api/v1/profile`, `/api/v1/sessions`, `/api/v1/admin/users`.

use super::auth::{Auth, SESSION_COOKIE};
use super::model::{ProfileInput, Role};
use super::service::{self, LoginInput, NewSession, RegisterInput};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::{error::AppError, error::Result};
use sep_platform::{negotiate::Api, negotiate::Payload};
use sep_platform::{openapi, openapi::Access::*, openapi::Entry};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

/// The routes that prove who someone is: limited per address as sign-in steps.
pub fn auth_api() -> Vec<Entry> {
    let t = "identity";
    let entries = vec![
        Entry::post(
            t,
            "/api/v1/auth/register",
            "Register with phone, email and password; a code goes by SMS",
            Public,
            register,
        ),
        Entry::post(
            t,
            "/api/v1/auth/register/confirm",
            "Confirm registration with the code",
            Public,
            confirm_registration,
        ),
        Entry::post(
            t,
            "/api/v1/auth/register/resend",
            "Send the registration code again (SMS or email)",
            Public,
            resend,
        ),
        Entry::post(
            t,
            "/api/v1/auth/login",
            "Log in by phone, email or СНИЛС and password; starts the second factor",
            Public,
            login,
        ),
        Entry::post(
            t,
            "/api/v1/auth/login/confirm",
            "Finish logging in with the SMS or TOTP code; returns a token and cookie",
            Public,
            confirm_login,
        ),
        Entry::post(
            t,
            "/api/v1/auth/password/forgot",
            "Start a password reset; a code goes to the phone",
            Public,
            forgot,
        ),
        Entry::post(
            t,
            "/api/v1/auth/password/reset",
            "Set a new password with the reset code",
            Public,
            reset,
        ),
    ];
    entries.into_iter().map(Entry::sign_in).collect()
}

pub fn auth_routes() -> Router<Platform> {
    openapi::router(auth_api())
}

pub fn api() -> Vec<Entry> {
    let t = "identity";
    vec![
        Entry::post(
            t,
            "/api/v1/auth/logout",
            "End this session",
            Session,
            logout,
        )
        .without_body(),
        Entry::get(t, "/api/v1/profile", "My profile", Session, my_profile),
        Entry::put(
            t,
            "/api/v1/profile",
            "Change my profile (names, documents, address)",
            Session,
            update_profile,
        ),
        Entry::get(
            t,
            "/api/v1/profile/logins",
            "My login journal",
            Session,
            my_logins,
        ),
        Entry::post(
            t,
            "/api/v1/profile/totp",
            "Start enrolling an authenticator app (needs the password)",
            Session,
            start_totp,
        ),
        Entry::delete(
            t,
            "/api/v1/profile/totp",
            "Go back to SMS codes (needs the password)",
            Session,
            disable_totp,
        ),
        Entry::post(
            t,
            "/api/v1/profile/totp/confirm",
            "Finish enrolling the authenticator app with a code",
            Session,
            confirm_totp,
        ),
        Entry::post(
            t,
            "/api/v1/profile/phone",
            "Change my phone: a code goes to the new number",
            Session,
            change_phone,
        ),
        Entry::post(
            t,
            "/api/v1/profile/email",
            "Change my email: a code goes to the new address",
            Session,
            change_email,
        ),
        Entry::post(
            t,
            "/api/v1/profile/contacts/confirm",
            "Confirm a phone or email change with its code",
            Session,
            confirm_contact,
        ),
        Entry::get(
            t,
            "/api/v1/users/{id}/profile",
            "Someone's profile (support, administrators)",
            Session,
            profile_of,
        ),
        Entry::get(
            t,
            "/api/v1/users/{id}/logins",
            "Someone's login journal (support, administrators)",
            Session,
            logins_of,
        ),
        Entry::get(t, "/api/v1/sessions", "My sessions", Session, sessions),
        Entry::delete(
            t,
            "/api/v1/sessions/{id}",
            "End one of my sessions",
            Session,
            end_session,
        ),
        Entry::get(
            t,
            "/api/v1/admin/users",
            "Accounts (administrators)",
            Session,
            admin_users,
        ),
        Entry::put(
            t,
            "/api/v1/admin/users/{id}/roles",
            "Replace an account's roles (administrators)",
            Session,
            admin_set_roles,
        ),
        Entry::post(
            t,
            "/api/v1/admin/users/{id}/unlock",
            "Lift a lockout (administrators)",
            Session,
            admin_unlock,
        )
        .without_body(),
    ]
}

pub fn routes() -> Router<Platform> {
    openapi::router(api())
}

async fn register(
    State(p): State<Platform>,
    client: Client,
    Payload(input): Payload<RegisterInput>,
) -> Result<Api<service::Registered>> {
    Ok(Api(
        StatusCode::CREATED,
        service::register(&p, &client, input).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmInput {
    phone: String,
    code: String,
    channel: String,
}

async fn confirm_registration(
    State(p): State<Platform>,
    client: Client,
    Payload(input): Payload<ConfirmInput>,
) -> Result<Api<serde_json::Value>> {
    let id = service::confirm_registration(&p, &client, &input.phone, &input.code).await?;
    Ok(Api::ok(json!({ "user_id": id, "status": "active" })))
}

async fn resend(
    State(p): State<Platform>,
    client: Client,
    Payload(input): Payload<ConfirmInput>,
) -> Result<Api<service::Registered>> {
    Ok(Api::ok(
        service::resend_registration_code(&p, &client, &input.phone, &input.channel).await?,
    ))
}

async fn login(
    State(p): State<Platform>,
    client: Client,
    Payload(input): Payload<LoginInput>,
) -> Result<Api<service::Challenge>> {
    Ok(Api::ok(service::login(&p, &client, input).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChallengeAnswer {
    challenge_id: String,
    code: String,
}

pub fn session_cookie(p: &Platform, session: &NewSession) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, session.access_token.clone()))
        .http_only(true)
        .secure(p.config.secure_cookies)
        .same_site(SameSite::Strict)
        .path("/")
        .build()
}

async fn confirm_login(
    State(p): State<Platform>,
    client: Client,
    jar: CookieJar,
    Payload(input): Payload<ChallengeAnswer>,
) -> Result<(CookieJar, Api<NewSession>)> {
    let session = service::confirm_login(&p, &client, &input.challenge_id, &input.code).await?;
    Ok((jar.add(session_cookie(&p, &session)), Api::ok(session)))
}

async fn logout(
    State(p): State<Platform>,
    client: Client,
    jar: CookieJar,
    Auth(who): Auth,
) -> Result<(CookieJar, StatusCode)> {
    service::end_session(&p, &client, &who, who.session_id).await?;
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        StatusCode::NO_CONTENT,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ForgotInput {
    login: String,
}

async fn forgot(
    State(p): State<Platform>,
    client: Client,
    Payload(input): Payload<ForgotInput>,
) -> Result<Api<service::ResetStarted>> {
    Ok(Api(
        StatusCode::ACCEPTED,
        service::forgot_password(&p, &client, &input.login).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResetInput {
    reset_id: String,
    code: String,
    password: String,
}

async fn reset(
    State(p): State<Platform>,
    client: Client,
    Payload(input): Payload<ResetInput>,
) -> Result<StatusCode> {
    service::reset_password(&p, &client, &input.reset_id, &input.code, &input.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn my_profile(
    State(p): State<Platform>,
    Auth(who): Auth,
) -> Result<Api<service::ProfileView>> {
    Ok(Api::ok(service::get_profile(&p, &who, who.user_id).await?))
}

async fn update_profile(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<ProfileInput>,
) -> Result<Api<service::ProfileView>> {
    Ok(Api::ok(
        service::update_profile(&p, &client, &who, who.user_id, input).await?,
    ))
}

async fn profile_of(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<service::ProfileView>> {
    service::staff_read(&p, &client, &who, id, service::StaffRead::Profile).await?;
    Ok(Api::ok(service::get_profile(&p, &who, id).await?))
}

async fn my_logins(
    State(p): State<Platform>,
    Auth(who): Auth,
) -> Result<Api<Vec<service::LoginEventView>>> {
    Ok(Api::ok(service::login_journal(&p, who.user_id).await?))
}

async fn logins_of(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<Vec<service::LoginEventView>>> {
    service::staff_read(&p, &client, &who, id, service::StaffRead::Logins).await?;
    Ok(Api::ok(service::login_journal(&p, id).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordInput {
    password: String,
}

async fn start_totp(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<PasswordInput>,
) -> Result<Api<service::TotpEnrolment>> {
    Ok(Api::ok(
        service::start_totp(&p, &client, &who, &input.password).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeInput {
    code: String,
}

async fn confirm_totp(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<CodeInput>,
) -> Result<StatusCode> {
    service::confirm_totp(&p, &client, &who, &input.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn disable_totp(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<PasswordInput>,
) -> Result<StatusCode> {
    service::disable_totp(&p, &client, &who, &input.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PhoneChange {
    phone: String,
    password: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmailChange {
    email: String,
    password: String,
}

async fn change_phone(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<PhoneChange>,
) -> Result<Api<service::ContactChangeStarted>> {
    let input = service::ContactChangeInput {
        value: input.phone,
        password: input.password,
    };
    let started =
        service::start_contact_change(&p, &client, &who, service::ContactKind::Phone, input)
            .await?;
    Ok(Api(StatusCode::ACCEPTED, started))
}

async fn change_email(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<EmailChange>,
) -> Result<Api<service::ContactChangeStarted>> {
    let input = service::ContactChangeInput {
        value: input.email,
        password: input.password,
    };
    let started =
        service::start_contact_change(&p, &client, &who, service::ContactKind::Email, input)
            .await?;
    Ok(Api(StatusCode::ACCEPTED, started))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ContactConfirm {
    change_id: String,
    code: String,
}

async fn confirm_contact(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Payload(input): Payload<ContactConfirm>,
) -> Result<Api<service::ProfileView>> {
    service::confirm_contact_change(&p, &client, &who, &input.change_id, &input.code).await?;
    Ok(Api::ok(service::get_profile(&p, &who, who.user_id).await?))
}

async fn sessions(
    State(p): State<Platform>,
    Auth(who): Auth,
) -> Result<Api<Vec<service::SessionView>>> {
    Ok(Api::ok(service::list_sessions(&p, &who).await?))
}

async fn end_session(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    service::end_session(&p, &client, &who, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct UserQuery {
    q: Option<String>,
}

async fn admin_users(
    State(p): State<Platform>,
    Auth(who): Auth,
    Query(q): Query<UserQuery>,
) -> Result<Api<Vec<service::AdminUser>>> {
    Ok(Api::ok(
        service::list_users(&p, Some(&who), q.q.as_deref()).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RolesInput {
    roles: Vec<String>,
}

async fn admin_set_roles(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
    Payload(input): Payload<RolesInput>,
) -> Result<Api<service::AdminUser>> {
    let roles: Option<Vec<Role>> = input.roles.iter().map(|r| Role::parse(r)).collect();
    let roles = roles.ok_or(AppError::field("roles", "role-unknown"))?;
    Ok(Api::ok(
        service::set_roles(&p, &client, Some(&who), id, &roles).await?,
    ))
}

async fn admin_unlock(
    State(p): State<Platform>,
    client: Client,
    Auth(who): Auth,
    Path(id): Path<Uuid>,
) -> Result<Api<service::AdminUser>> {
    Ok(Api::ok(service::unlock(&p, &client, Some(&who), id).await?))
}
