//! Profiles at rest. Birth date, ИНН, СНИЛС, passport, address line and
//! postcode are sealed per value (see `platform::secrets`), bound to their
//! column and owner; names and the region code stay readable because agencies
//! route and search by them. СНИЛС also gets a keyed hash for login and
//! uniqueness, which an attacker with only the database cannot reverse by
//! enumerating the 10⁹ possible numbers.

use super::entities::profile;
use crate::{model::Passport, model::Profile};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, Set};
use sep_kernel::Snils;
use sep_platform::secrets::Secrets;

/// A profile as the owner typed it, decrypted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredProfile {
    pub last_name: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub inn: Option<String>,
    pub snils: Option<Snils>,
    pub passport: Option<Passport>,
    pub postcode: Option<String>,
    pub region_code: Option<String>,
    pub address: Option<String>,
}

impl From<&Profile> for StoredProfile {
    fn from(p: &Profile) -> Self {
        let address = p.address.as_ref();
        Self {
            last_name: p.last_name.to_string(),
            first_name: p.first_name.to_string(),
            patronymic: p.patronymic.as_ref().map(|n| n.to_string()),
            birth_date: p.birth_date.map(|d| d.date()),
            inn: p.inn.as_ref().map(|i| i.as_str().to_string()),
            snils: p.snils.clone(),
            passport: p.passport.clone(),
            postcode: address.map(|a| a.postcode.as_str().to_string()),
            region_code: address.map(|a| a.region.to_string()),
            address: address.map(|a| a.line.clone()),
        }
    }
}

pub fn snils_lookup(secrets: &Secrets, snils: &Snils) -> String {
    secrets.mac("snils-lookup", snils.digits().as_bytes())
}

fn context(column: &str, owner: Uuid) -> String {
    format!("profiles.{column}/{owner}")
}

struct Sealer<'a> {
    secrets: &'a Secrets,
    owner: Uuid,
}

impl Sealer<'_> {
    fn seal(&self, column: &str, value: Option<String>) -> Option<String> {
        value.map(|v| self.secrets.seal(&context(column, self.owner), &v))
    }

    /// A value that does not open means a changed key or tampering: the row
    /// is refused loudly rather than shown half-empty.
    fn open(&self, column: &str, value: &Option<String>) -> Result<Option<String>, DbErr> {
        value
            .as_deref()
            .map(|v| {
                self.secrets
                    .open(&context(column, self.owner), v)
                    .map_err(|e| DbErr::Custom(format!("profiles.{column} of {}: {e}", self.owner)))
            })
            .transpose()
    }
}

fn parsed<T>(
    column: &str,
    raw: Option<String>,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, DbErr> {
    raw.map(|v| parse(&v).ok_or_else(|| DbErr::Custom(format!("profiles.{column}: not valid"))))
        .transpose()
}

pub async fn load(
    db: &impl ConnectionTrait,
    secrets: &Secrets,
    owner: Uuid,
) -> Result<Option<StoredProfile>, DbErr> {
    Ok(load_all(db, secrets, vec![owner])
        .await?
        .pop()
        .map(|(_, p)| p))
}

/// The profiles of those of `owners` who have one, in one query.
pub async fn load_all(
    db: &impl ConnectionTrait,
    secrets: &Secrets,
    owners: Vec<Uuid>,
) -> Result<Vec<(Uuid, StoredProfile)>, DbErr> {
    profile::Entity::find()
        .filter(profile::Column::UserId.is_in(owners))
        .all(db)
        .await?
        .into_iter()
        .map(|row| Ok((row.user_id, opened(secrets, row)?)))
        .collect()
}

fn opened(secrets: &Secrets, row: profile::Model) -> Result<StoredProfile, DbErr> {
    let s = Sealer {
        secrets,
        owner: row.user_id,
    };
    Ok(StoredProfile {
        birth_date: parsed("birth_date", s.open("birth_date", &row.birth_date)?, |v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()
        })?,
        inn: s.open("inn", &row.inn)?,
        snils: parsed("snils", s.open("snils", &row.snils)?, |v| {
            Snils::parse(v).ok()
        })?,
        passport: parsed(
            "passport",
            s.open("passport", &row.passport)?,
            Passport::from_compact,
        )?,
        postcode: s.open("postcode", &row.postcode)?,
        address: s.open("address", &row.address)?,
        last_name: row.last_name,
        first_name: row.first_name,
        patronymic: row.patronymic,
        region_code: row.region_code,
    })
}

/// Writes the owner's profile: inserts it, or with `replace` overwrites the
/// row the caller already read. A second account with the same СНИЛС violates
/// `PROFILES_SNILS_KEY`.
pub async fn save(
    db: &impl ConnectionTrait,
    secrets: &Secrets,
    owner: Uuid,
    profile: &StoredProfile,
    replace: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let s = Sealer { secrets, owner };
    let row = profile::ActiveModel {
        user_id: Set(owner),
        last_name: Set(profile.last_name.clone()),
        first_name: Set(profile.first_name.clone()),
        patronymic: Set(profile.patronymic.clone()),
        birth_date: Set(s.seal(
            "birth_date",
            profile.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
        )),
        inn: Set(s.seal("inn", profile.inn.clone())),
        snils: Set(s.seal("snils", profile.snils.as_ref().map(|v| v.digits().into()))),
        snils_lookup: Set(profile.snils.as_ref().map(|v| snils_lookup(secrets, v))),
        passport: Set(s.seal("passport", profile.passport.as_ref().map(|p| p.compact()))),
        postcode: Set(s.seal("postcode", profile.postcode.clone())),
        region_code: Set(profile.region_code.clone()),
        address: Set(s.seal("address", profile.address.clone())),
        updated_at: Set(now),
    };
    if replace {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}
