//! Who may post and cancel charges. One place, called by the API, the pages
//! and the command line alike.

use super::store::charge;
use sep_identity::model::Role;
use sep_identity::service::Principal;
use sep_platform::error::AppError;

/// The agency `who` posts charges for: an officer's or an integrator's own.
/// Staff that belong to no agency post nothing, whatever their role.
pub fn charging_agency(who: &Principal) -> Result<&str, AppError> {
    if !(who.has(Role::Officer) || who.has(Role::Integrator)) {
        return Err(AppError::Forbidden);
    }
    who.agency
        .as_deref()
        .ok_or(AppError::not_allowed("staff-without-agency", vec![]))
}

/// Why `agency` may not cancel `c`, if it may not: another agency's charge,
/// or a state fee (an application waits on it, so only paying or the
/// application's own end settles it).
pub fn cancel_refusal(agency: &str, c: &charge::Model) -> Option<AppError> {
    if c.agency_code.as_deref() != Some(agency) {
        return Some(AppError::not_allowed("charge-other-agency", vec![]));
    }
    if c.kind == "state_fee" || c.application_id.is_some() {
        return Some(AppError::conflict("charge-state-fee", vec![]));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn who(roles: &[Role], agency: Option<&str>) -> Principal {
        Principal {
            user_id: Uuid::nil(),
            session_id: Uuid::nil(),
            roles: roles.to_vec(),
            agency: agency.map(str::to_string),
        }
    }

    #[test]
    fn only_staff_of_an_agency_charge() {
        assert!(matches!(
            charging_agency(&who(&[Role::Citizen], Some("gibdd"))),
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            charging_agency(&who(&[Role::Officer], None)),
            Err(AppError::Refused {
                kind: sep_platform::error::Refusal::NotAllowed,
                ..
            })
        ));
        assert_eq!(
            charging_agency(&who(&[Role::Integrator], Some("fns"))).unwrap(),
            "fns"
        );
    }
}
