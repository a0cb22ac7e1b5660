//! The profile page.

use super::*;

// --- profile ---

pub(super) const PROFILE: &[FieldSpec] = &[
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
pub(super) struct ProfileForm {
    csrf: String,
    #[serde(flatten)]
    fields: ProfileInput,
}

pub(super) fn value_of(input: &ProfileInput, name: &str) -> String {
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
pub(super) struct ProfilePage {
    chrome: Chrome,
    view: service::ProfileView,
    phone: String,
    second_factor: String,
    level: String,
    fields: Vec<FieldView>,
    form_errors: Vec<String>,
    notice: Option<String>,
}

pub(super) async fn profile_view(
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
pub(super) struct ProfileQuery {
    done: String,
}

/// After a change the browser is sent back here (post/redirect/get, so a reload
/// does not resubmit); `done` names which notice to show. Only known ones show.
pub(super) const PROFILE_NOTICES: &[&str] = &["saved", "phone-changed", "email-changed"];

pub(super) async fn profile_page(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
    Query(q): Query<ProfileQuery>,
) -> Result<Response> {
    let notice = PROFILE_NOTICES
        .contains(&q.done.as_str())
        .then(|| client.lang.t(&format!("notice-{}", q.done)));
    profile_view(&p, &client, &user, &csrf, None, notice, &[]).await
}

pub(super) async fn profile_submit(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
    CheckedForm(form): CheckedForm<ProfileForm>,
) -> Result<Response> {
    let Some(who) = &user.0 else {
        return Ok(login_redirect());
    };
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
