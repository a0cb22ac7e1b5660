//! Who may see and act on an application. One place, called by the API and
//! the pages alike; the answer depends on the person and the application.

use super::model::Actor;
use super::store::application;
use sep_identity::model::Role;
use sep_identity::service::Principal;

/// In what capacity `who` stands to `app`: its applicant, an officer of the
/// department it is routed to, or neither. `departments` are the officer's own.
pub fn capacity(
    who: &Principal,
    app: &application::Model,
    departments: &[String],
) -> Option<Actor> {
    if who.user_id == app.applicant_id {
        return Some(Actor::Applicant);
    }
    let in_department = app
        .department_code
        .as_ref()
        .is_some_and(|d| departments.contains(d));
    (who.has(Role::Officer) && in_department).then_some(Actor::Officer)
}

/// Reading: the applicant, the department's officers, and administrators and
/// support operators (who answer questions about it).
pub fn can_read(who: &Principal, app: &application::Model, departments: &[String]) -> bool {
    capacity(who, app, departments).is_some() || who.has(Role::Admin) || who.has(Role::Support)
}

/// Listing and exporting everything: administrators only.
pub fn can_list_all(who: &Principal) -> bool {
    who.has(Role::Admin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn who(roles: &[Role]) -> Principal {
        Principal {
            user_id: Uuid::now_v7(),
            session_id: Uuid::now_v7(),
            roles: roles.to_vec(),
            agency: None,
        }
    }

    fn app(applicant: Uuid, department: &str) -> application::Model {
        let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("a fixed instant"); // tests never read the wall clock
        application::Model {
            id: Uuid::now_v7(),
            number: "2026-000001-8".into(),
            applicant_id: applicant,
            service_code: "x".into(),
            form_version: 1,
            kind: "request".into(),
            region_code: None,
            department_code: Some(department.into()),
            assignee_id: None,
            state: "routed".into(),
            priority: "normal".into(),
            answers: String::new(),
            fee_kopecks: 0,
            submitted_at: now,
            due_on: now.date_naive(),
            overdue: false,
            escalated_at: None,
            decided_at: None,
            decision_reason: None,
            updated_at: now,
            version: 0,
        }
    }

    #[test]
    fn applicant_department_officer_and_strangers() {
        let citizen = who(&[Role::Citizen]);
        let officer = who(&[Role::Officer]);
        let a = app(citizen.user_id, "mvd-77");
        let mine = vec!["mvd-77".to_string()];
        let other = vec!["mvd-78".to_string()];
        assert_eq!(capacity(&citizen, &a, &[]), Some(Actor::Applicant));
        assert_eq!(capacity(&officer, &a, &mine), Some(Actor::Officer));
        assert_eq!(capacity(&officer, &a, &other), None);
        assert!(!can_read(&who(&[Role::Citizen]), &a, &[]));
        assert!(can_read(&who(&[Role::Support]), &a, &[]));
        // Department membership without the officer role gives nothing.
        assert_eq!(capacity(&who(&[Role::Citizen]), &a, &mine), None);
    }
}
