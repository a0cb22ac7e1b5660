use super::sessions::Principal;
use super::{notify_sms, record, send};
use crate::authz;
use crate::{
    model::AssuranceLevel, model::Profile, model::ProfileInput, model::Role,
    model::identity_changes,
};
use crate::{store, store::PROFILES_SNILS_KEY};
use crate::{store::profiles, store::profiles::StoredProfile};
use chrono::{DateTime, Utc};
use sep_kernel::{FieldError, Rule};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::clock::local_date;
use sep_platform::db::violates;
use sep_platform::messages::Channel;
use sep_platform::{error::AppError, error::Result};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub user_id: Uuid,
    pub phone: String,
    pub email: String,
    pub level: String,
    pub roles: Vec<Role>,
    pub second_factor: String,
    pub totp_enabled: bool,
    pub consent_version: String,
    pub consent_at: DateTime<Utc>,
    pub full_name: Option<String>,
    #[serde(flatten)]
    pub fields: ProfileInput,
}

fn fields_of(stored: Option<&StoredProfile>) -> ProfileInput {
    let Some(p) = stored else {
        return ProfileInput::default();
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    ProfileInput {
        last_name: p.last_name.clone(),
        first_name: p.first_name.clone(),
        patronymic: text(&p.patronymic),
        birth_date: p
            .birth_date
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_default(),
        inn: text(&p.inn),
        snils: p.snils.as_ref().map(|s| s.to_string()).unwrap_or_default(),
        passport_series: p.passport.as_ref().map(|p| p.series()).unwrap_or_default(),
        passport_number: p
            .passport
            .as_ref()
            .map(|p| p.number().to_string())
            .unwrap_or_default(),
        postcode: text(&p.postcode),
        region_code: text(&p.region_code),
        address: text(&p.address),
    }
}

fn joined_name(r: &profiles::StoredProfile) -> String {
    [
        Some(r.last_name.as_str()),
        Some(r.first_name.as_str()),
        r.patronymic.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
}

/// The person's ИНН and СНИЛС from their profile (what charges are found by).
pub async fn tax_ids_of(
    p: &Platform,
    user: Uuid,
) -> Result<(Option<sep_kernel::Inn>, Option<sep_kernel::Snils>)> {
    Ok(tax_ids_of_all(p, vec![user])
        .await?
        .remove(&user)
        .unwrap_or_default())
}

/// [`tax_ids_of`] for several people in one query; those without a profile
/// are absent.
pub async fn tax_ids_of_all(
    p: &Platform,
    users: Vec<Uuid>,
) -> Result<std::collections::HashMap<Uuid, (Option<sep_kernel::Inn>, Option<sep_kernel::Snils>)>> {
    Ok(profiles::load_all(&*p.db, &p.secrets, users)
        .await?
        .into_iter()
        .map(|(user, r)| {
            let inn = r
                .inn
                .as_deref()
                .and_then(|i| sep_kernel::Inn::parse(i).ok());
            (user, (inn, r.snils))
        })
        .collect())
}

/// «Фамилия Имя Отчество» as the person gave it, for documents issued to them.
pub async fn full_name_of(p: &Platform, user: Uuid) -> Result<Option<String>> {
    Ok(profiles::load(&*p.db, &p.secrets, user)
        .await?
        .as_ref()
        .map(joined_name))
}

/// The person as documents issued to them describe them; `None` until
/// they have filled in their profile.
pub async fn holder_of(p: &Platform, user: Uuid) -> Result<Option<crate::model::Holder>> {
    let Some(u) = store::user_by_id(&*p.db, user).await? else {
        return Ok(None);
    };
    let Some(r) = profiles::load(&*p.db, &p.secrets, user).await? else {
        return Ok(None);
    };
    let roles = store::roles_of(&*p.db, user).await?;
    Ok(Some(crate::model::Holder {
        full_name: joined_name(&r),
        birth_date: r.birth_date,
        inn: r.inn.clone(),
        snils: r.snils.as_ref().map(|s| s.to_string()),
        passport: r
            .passport
            .as_ref()
            .map(|p| format!("{} {}", p.series(), p.number())),
        address: r.address.as_ref().map(|a| match &r.postcode {
            Some(code) => format!("{code}, {a}"),
            None => a.clone(),
        }),
        region_code: r.region_code.clone(),
        representative: roles.contains(&crate::model::Role::Representative),
        level: crate::model::AssuranceLevel::parse(&u.level)
            .unwrap_or(crate::model::AssuranceLevel::Simplified),
    }))
}

/// The applicant's assurance level and their profile's region, as a
/// submission needs them (one query where the whole profile takes three).
pub async fn level_and_region(
    p: &Platform,
    who: &Principal,
) -> Result<(AssuranceLevel, Option<String>)> {
    let (level, region) = store::level_and_region(&*p.db, who.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let level = sep_platform::db::stored("users.level", &level, AssuranceLevel::parse)?;
    Ok((level, region))
}

pub async fn get_profile(p: &Platform, who: &Principal, owner: Uuid) -> Result<ProfileView> {
    if !authz::can_read_profile(who, owner) {
        // Not 403: whether another person's account exists is itself private.
        return Err(AppError::NotFound);
    }
    let u = store::user_by_id(&*p.db, owner)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = profiles::load(&*p.db, &p.secrets, owner).await?;
    let full_name = row.as_ref().map(joined_name);
    Ok(ProfileView {
        user_id: u.id,
        phone: u.phone,
        email: u.email,
        level: u.level,
        roles: store::roles_of(&*p.db, owner).await?,
        second_factor: u.second_factor,
        totp_enabled: u.totp_enabled,
        consent_version: u.consent_version,
        consent_at: u.consent_at,
        full_name,
        fields: fields_of(row.as_ref()),
    })
}

/// Validates every field (all wrong ones reported together) and saves nothing
/// unless all are right.
pub async fn update_profile(
    p: &Platform,
    client: &Client,
    who: &Principal,
    owner: Uuid,
    input: ProfileInput,
) -> Result<ProfileView> {
    if !authz::can_edit_profile(who, owner) {
        return Err(if authz::can_read_profile(who, owner) {
            AppError::Forbidden
        } else {
            AppError::NotFound
        });
    }
    let profile = Profile::parse(&input, local_date(p.now())).map_err(AppError::Invalid)?;
    let txn = p.db.begin().await?;
    let before = profiles::load(&*txn, &p.secrets, owner).await?;
    let after = StoredProfile::from(&profile);
    let saved = profiles::save(&*txn, &p.secrets, owner, &after, before.is_some(), p.now()).await;
    if let Err(err) = saved {
        if violates(&err, &PROFILES_SNILS_KEY) {
            return Err(AppError::Conflict(vec![FieldError::new(
                "snils",
                Rule("snils-taken"),
            )]));
        }
        return Err(err.into());
    }
    // The journal names what changed, never the personal data itself.
    let old = fields_of(before.as_ref());
    let new = fields_of(Some(&after));
    let changed: Vec<&str> = changed_fields(&old, &new);
    record(
        p,
        &*txn,
        client,
        Some(who.user_id),
        "identity.profile.update",
        ("user", owner.to_string()),
        "ok",
        json!({ "fields": changed }),
    )
    .await?;
    lower_level_if_identity_changed(p, &*txn, client, owner, &old, &new).await?;
    txn.commit().await?;
    p.flush_messages().await;
    get_profile(p, who, owner).await
}

/// A level says the identity was verified; once a verified part of it is
/// replaced the level no longer holds: it drops to simplified (so documents
/// and services that need more are refused) until verified again, and the
/// owner is told why by SMS and email.
async fn lower_level_if_identity_changed(
    p: &Platform,
    txn: &impl sea_orm::ConnectionTrait,
    client: &Client,
    owner: Uuid,
    old: &ProfileInput,
    new: &ProfileInput,
) -> Result<()> {
    let changed = identity_changes(old, new);
    let Some(u) = store::user_by_id(txn, owner).await? else {
        return Ok(());
    };
    let level = AssuranceLevel::parse(&u.level).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("user {owner}: unknown level {}", u.level))
    })?;
    if changed.is_empty() || level == AssuranceLevel::Simplified {
        return Ok(());
    }
    store::set_level(txn, owner, AssuranceLevel::Simplified).await?;
    let lang = client.lang;
    let fields = changed
        .iter()
        .map(|k| lang.t(k))
        .collect::<Vec<_>>()
        .join(", ");
    let text = lang.t_args("notice-level-lowered", &[("fields", fields.into())]);
    notify_sms(p, txn, &u.phone, &text).await?;
    let subject = lang.t("notice-level-lowered-subject");
    send(p, txn, Channel::Email, &u.email, Some(&subject), &text).await?;
    record(
        p,
        txn,
        client,
        Some(owner),
        "identity.level.lowered",
        ("user", owner.to_string()),
        "ok",
        json!({ "from": level.as_str(), "to": "simplified", "changed": changed }),
    )
    .await?;
    Ok(())
}

fn changed_fields(a: &ProfileInput, b: &ProfileInput) -> Vec<&'static str> {
    let pairs = [
        ("last_name", &a.last_name, &b.last_name),
        ("first_name", &a.first_name, &b.first_name),
        ("patronymic", &a.patronymic, &b.patronymic),
        ("birth_date", &a.birth_date, &b.birth_date),
        ("inn", &a.inn, &b.inn),
        ("snils", &a.snils, &b.snils),
        ("passport_series", &a.passport_series, &b.passport_series),
        ("passport_number", &a.passport_number, &b.passport_number),
        ("postcode", &a.postcode, &b.postcode),
        ("region_code", &a.region_code, &b.region_code),
        ("address", &a.address, &b.address),
    ];
    pairs
        .into_iter()
        .filter(|(_, x, y)| x != y)
        .map(|(n, _, _)| n)
        .collect()
}

/// What staff may open of someone else's account.
#[derive(Debug, Clone, Copy)]
pub enum StaffRead {
    Profile,
    Logins,
}

/// Support and administrators reading another person's data: allowed by the
/// one profile rule, and journalled (who, whose, what) before anything is
/// shown, so that no read of personal data goes unrecorded.
pub async fn staff_read(
    p: &Platform,
    client: &Client,
    who: &Principal,
    owner: Uuid,
    what: StaffRead,
) -> Result<()> {
    if !authz::can_read_profile(who, owner) {
        return Err(AppError::NotFound);
    }
    if who.user_id == owner {
        return Ok(());
    }
    if store::user_by_id(&*p.db, owner).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let action = match what {
        StaffRead::Profile => "identity.profile.read",
        StaffRead::Logins => "identity.logins.read",
    };
    let txn = p.db.begin().await?;
    record(
        p,
        &*txn,
        client,
        Some(who.user_id),
        action,
        ("user", owner.to_string()),
        "ok",
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
