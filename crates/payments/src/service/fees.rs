//! State fees (госпошлины) of applications: the charge an application waits
//! on before it goes to its department, and whether it has been paid.

use super::charges::{Origin, charge_row};
use crate::store;
use crate::{model::Charge, model::ChargeKind, model::charge::Payer};
use sep_identity::service::tax_ids_of_all;
use sep_kernel::{FieldErrors, Uin};
use sep_platform::Platform;
use sep_platform::{error::AppError, error::Result};
use uuid::Uuid;

pub use sep_contracts::payments::FeeRequest;

/// The УИН of an application's fee, derived from the application: asking
/// twice (a retry, two instances at once) names the same charge, so the
/// primary key, not a lookup, keeps it single. "0355" marks СЭП as the
/// administrator that assigned it.
fn fee_uin(p: &Platform, application: Uuid) -> Uin {
    let mac = p.secrets.mac("payments.fee-uin", application.as_bytes());
    let n = u64::from_str_radix(&mac[..15], 16).expect("hex") % 1_000_000_000_000_000;
    Uin::with_control_digit(&format!("0355{n:015}")).expect("19 digits take a control digit")
}

/// Posts the fee's charge unless it is there already; its УИН either way.
pub async fn state_fee(p: &Platform, req: FeeRequest<'_>) -> Result<String> {
    Ok(state_fees(p, vec![req]).await?.remove(0))
}

/// Posts the fees' charges in one statement, each unless it is there
/// already; their УИНs, in order.
pub async fn state_fees(p: &Platform, reqs: Vec<FeeRequest<'_>>) -> Result<Vec<String>> {
    let mut payers: Vec<Uuid> = reqs.iter().map(|r| r.applicant).collect();
    payers.sort();
    payers.dedup();
    let tax_ids = tax_ids_of_all(p, payers).await?;
    let now = p.now();
    let mut uins = Vec::with_capacity(reqs.len());
    let mut rows = Vec::with_capacity(reqs.len());
    for req in reqs {
        let uin = fee_uin(p, req.application_id);
        let mut e = FieldErrors::new();
        let payee = req.payee.check(&mut e).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "the fee payee of application {} is not valid: {:?}",
                req.application_id,
                e
            ))
        })?;
        let (inn, snils) = tax_ids.get(&req.applicant).cloned().unwrap_or_default();
        // ГИС ГМП allows 210 characters of purpose.
        let purpose: String = format!(
            "Госпошлина: {}, заявление № {}",
            req.service_title, req.number
        )
        .chars()
        .take(210)
        .collect();
        let charge = Charge {
            uin: uin.clone(),
            payer: Payer {
                inn,
                snils,
                ..Payer::default()
            },
            kind: ChargeKind::StateFee,
            purpose,
            payee,
            amount: req.amount,
            due_on: None,
            discount: None,
        };
        let origin = Origin {
            agency: req.agency,
            posted_by: None,
            application_id: Some(req.application_id),
        };
        rows.push(charge_row(p, &charge, origin, now));
        uins.push(uin.to_string());
    }
    // Posted again after a crash, a charge is the same row (its УИН comes
    // from the application): the key leaves it as it is, without a look
    // beforehand.
    let _gate = p.db.gate().await;
    store::insert_new_charges(&*p.db, rows).await?;
    Ok(uins)
}

/// Applications whose state fee was paid since `since`.
pub async fn recently_paid_fees(
    p: &Platform,
    since: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Uuid>> {
    Ok(store::paid_fee_applications(&*p.db, since).await?)
}

/// The fee charge of an application, if one was posted: (УИН, paid?).
pub async fn fee_of(p: &Platform, application: Uuid) -> Result<Option<(String, bool)>> {
    let uin = fee_uin(p, application);
    Ok(store::charge(&*p.db, uin.as_str())
        .await?
        .map(|c| (c.uin, c.status == "paid")))
}

/// Which of `applications` have their fee paid, in one query.
pub async fn fees_paid(p: &Platform, applications: &[Uuid]) -> Result<Vec<Uuid>> {
    let uins = applications
        .iter()
        .map(|a| fee_uin(p, *a).to_string())
        .collect();
    Ok(store::charges_by_uin(&*p.db, uins)
        .await?
        .into_iter()
        .filter(|c| c.status == "paid")
        .filter_map(|c| c.application_id)
        .collect())
}
