//! Registration and its confirmation by code.

use super::*;

// --- registration ---

pub(super) const REGISTER: &[FieldSpec] = &[
    ("phone", "tel", "tel", true),
    ("email", "email", "email", true),
    ("password", "password", "new-password", true),
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RegisterForm {
    csrf: String,
    phone: String,
    email: String,
    password: String,
    consent: Option<String>,
}

pub(super) fn register_form(
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

pub(super) async fn register_page(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
) -> Response {
    register_form(&p, &client, &user, &csrf, &RegisterForm::default(), &[])
}

pub(super) async fn register_submit(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
    CheckedForm(form): CheckedForm<RegisterForm>,
) -> Result<Response> {
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
pub(super) struct ConfirmForm {
    csrf: String,
    phone: String,
    code: String,
    channel: String,
}

pub(super) const CONFIRM: &[FieldSpec] = &[("code", "text", "one-time-code", true)];

pub(super) fn confirm_form(
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
pub(super) struct PhoneQuery {
    phone: Option<String>,
}

pub(super) async fn confirm_page(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
    Query(q): Query<PhoneQuery>,
) -> Response {
    let phone = q.phone.unwrap_or_default();
    let notice = sep_kernel::Phone::parse(&phone).ok().map(|ph| {
        client
            .lang
            .t_args("notice-code-sent", &[("to", ph.masked().into())])
    });
    confirm_form(&p, &client, &user, &csrf, &phone, notice, &[])
}

pub(super) async fn confirm_submit(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
    CheckedForm(form): CheckedForm<ConfirmForm>,
) -> Result<Response> {
    Ok(
        match service::confirm_registration(&p, &client, &form.phone, &form.code).await {
            Ok(_) => Redirect::to("/login?registered=1").into_response(),
            Err(e) => refused(e, |errors| {
                confirm_form(&p, &client, &user, &csrf, &form.phone, None, errors)
            }),
        },
    )
}

pub(super) async fn resend_submit(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
    Query(q): Query<ConfirmForm>,
    CheckedForm(form): CheckedForm<ConfirmForm>,
) -> Result<Response> {
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
