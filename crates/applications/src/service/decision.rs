//! What a decision document says about an application: read by the
//! documents context when it issues the decision, with no reader's rights
//! involved (the document goes to the applicant, signed by the agency).

use super::views::state_of;
use crate::model::State;
use crate::store;
use sep_contracts::catalog::catalogue;
use sep_platform::Platform;
use sep_platform::{error::AppError, error::Result};
use uuid::Uuid;

pub use sep_contracts::applications::Decision;

/// The decision on application `id`; not found until it is decided.
pub async fn decision_of(p: &Platform, id: Uuid) -> Result<Decision> {
    let app = store::by_id(&*p.db, id).await?.ok_or(AppError::NotFound)?;
    let approved = match state_of(&app)? {
        State::Approved | State::Completed => true,
        State::Refused => false,
        _ => return Err(AppError::NotFound),
    };
    let terms = catalogue(p)
        .terms(p, &app.service_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let department = match &app.department_code {
        Some(code) => catalogue(p).department_name(p, code).await?.map(|n| n.ru),
        None => None,
    };
    Ok(Decision {
        number: app.number,
        applicant_id: app.applicant_id,
        service_title: terms.title.ru,
        agency_code: terms.agency.to_string(),
        department,
        submitted_at: app.submitted_at,
        due_on: app.due_on,
        approved,
        decided_at: app.decided_at.unwrap_or(app.updated_at),
        reason: app.decision_reason,
    })
}
