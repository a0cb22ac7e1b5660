//! Who may change the catalogue. Reading it is public.

use sep_identity::model::Role;
use sep_identity::service::Principal;

/// Services, forms, routing, agencies, departments and their officers are the
/// administrator's.
pub fn can_administer_catalog(who: &Principal) -> bool {
    who.has(Role::Admin)
}
