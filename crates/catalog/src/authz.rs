//! Who may change the catalogue. Reading it is public.

use sep_identity::model::Role;
use sep_identity::service::Principal;

/// Services, forms, routing, agencies, departments and their officers are the
/// administrator's.
pub fn can_administer_catalog(who: &Principal) -> bool {
    who.has(Role::Admin)
}

/// The catalogue changes only by an administrator's hand, or the platform's
/// own (`None`: the operator's command line, the demo seed). Every change of
/// the catalogue service asks this first, so the API and the pages agree;
/// the answer is the actor to journal.
pub fn may_administer(
    who: Option<&Principal>,
) -> Result<Option<uuid::Uuid>, sep_platform::error::AppError> {
    match who {
        Some(w) if !can_administer_catalog(w) => Err(sep_platform::error::AppError::Forbidden),
        _ => Ok(who.map(|w| w.user_id)),
    }
}
