//! Who may do what to whose identity data. One function per question, called
//! by the API and the pages alike; the answer depends on the actor and the object.

use super::model::Role;
use super::service::Principal;
use uuid::Uuid;

/// A profile is read by its owner, an administrator or a support operator
/// (who helps the owner with it).
pub fn can_read_profile(who: &Principal, owner: Uuid) -> bool {
    who.user_id == owner || who.has(Role::Admin) || who.has(Role::Support)
}

/// Only the owner changes a profile: what an officer or administrator changes
/// goes through their own, audited operations.
pub fn can_edit_profile(who: &Principal, owner: Uuid) -> bool {
    who.user_id == owner
}

/// Users, roles and unlocking are the administrator's.
pub fn can_administer_users(who: &Principal) -> bool {
    who.has(Role::Admin)
}

/// Users, roles and unlocking change by an administrator's hand or the
/// platform's own (`None`: the operator's command line). The services ask
/// this first, so the API and the pages agree; the answer is the actor to
/// journal.
pub fn may_administer_users(
    who: Option<&Principal>,
) -> Result<Option<Uuid>, sep_platform::error::AppError> {
    match who {
        Some(w) if !can_administer_users(w) => Err(sep_platform::error::AppError::Forbidden),
        _ => Ok(who.map(|w| w.user_id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(roles: &[Role]) -> Principal {
        Principal {
            user_id: Uuid::now_v7(),
            session_id: Uuid::now_v7(),
            roles: roles.to_vec(),
            agency: None,
        }
    }

    #[test]
    fn object_level_rules() {
        let citizen = principal(&[Role::Citizen]);
        let other = Uuid::now_v7();
        assert!(can_read_profile(&citizen, citizen.user_id));
        assert!(!can_read_profile(&citizen, other));
        assert!(!can_read_profile(&principal(&[Role::Officer]), other));
        assert!(can_read_profile(&principal(&[Role::Support]), other));
        assert!(!can_edit_profile(&principal(&[Role::Admin]), other));
        assert!(can_administer_users(&principal(&[Role::Admin])));
        for r in [
            Role::Citizen,
            Role::Representative,
            Role::Officer,
            Role::Support,
            Role::Integrator,
        ] {
            assert!(!can_administer_users(&principal(&[r])), "{r}");
        }
    }
}
