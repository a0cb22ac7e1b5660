//! Decisions on applications as documents: when an application is approved
//! or refused, its agency's signed decision appears in the applicant's
//! «Мои документы».

use super::issue::{issue, request_decision};
use crate::store;
use crate::{model::Kind, model::Sheet};
use sep_contracts::applications::State;
use sep_contracts::applications::StateChanged;
use sep_contracts::applications::{Decision, applications};
use sep_platform::Platform;
use sep_platform::clock;
use sep_platform::db::Txn;
use sep_platform::error::Result;
use sep_platform::{events::Event, events::Subscriber};
use uuid::Uuid;

pub async fn decision_sheet(p: &Platform, application: Uuid) -> Result<Sheet> {
    Ok(sheet(&applications(p).decision_of(p, application).await?))
}

fn sheet(d: &Decision) -> Sheet {
    let outcome = if d.approved {
        "Заявление рассмотрено. Принято решение о предоставлении услуги."
    } else {
        "Заявление рассмотрено. Принято решение об отказе в предоставлении услуги."
    };
    let mut s = Sheet {
        subtitle: Some(format!("по заявлению № {}", d.number)),
        ..Sheet::default()
    }
    .fields(&[
        ("Услуга", d.service_title.clone()),
        ("Номер заявления", d.number.clone()),
        (
            "Дата подачи",
            format!("{} (МСК)", clock::show(d.submitted_at)),
        ),
        (
            "Рассмотрено",
            d.department.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            "Дата решения",
            format!("{} (МСК)", clock::show(d.decided_at)),
        ),
        (
            "Решение",
            (if d.approved {
                "услуга предоставлена"
            } else {
                "отказано"
            })
            .to_string(),
        ),
    ])
    .paragraph(outcome);
    if let Some(reason) = &d.reason {
        s = s
            .heading(if d.approved {
                "Комментарий ведомства"
            } else {
                "Основание отказа"
            })
            .paragraph(reason.clone());
    }
    if !d.approved {
        s = s.paragraph(
            "Решение может быть обжаловано в досудебном порядке в разделе «Жалобы» \
             или в суде в течение трёх месяцев со дня его получения.",
        );
    }
    s
}

/// The application's decision, if `event` is one (approved or refused).
fn decided(event: &Event) -> anyhow::Result<Option<StateChanged>> {
    Ok(event
        .read::<StateChanged>()?
        .filter(|c| matches!(c.state, State::Approved | State::Refused)))
}

/// Requests the decision document when an application is decided (in the
/// dispatch transaction: exactly once), and issues it once that has
/// committed; the sweep issues whatever this misses.
pub struct DecisionWatcher;

#[async_trait::async_trait]
impl Subscriber for DecisionWatcher {
    async fn handle(&self, p: &Platform, txn: &Txn, event: &Event) -> anyhow::Result<()> {
        let Some(decision) = decided(event)? else {
            return Ok(());
        };
        let Some(terms) = sep_contracts::catalog::catalogue(p)
            .terms(p, &decision.service)
            .await?
        else {
            return Ok(());
        };
        request_decision(
            &**txn,
            event.at,
            decision.applicant_id,
            decision.application_id,
            &terms.agency.to_string(),
        )
        .await?;
        Ok(())
    }

    async fn committed(&self, p: &Platform, event: &Event) {
        // `handle` read it already: a bad payload never gets this far.
        let Ok(Some(StateChanged {
            application_id: application,
            ..
        })) = decided(event)
        else {
            return;
        };
        let p = p.clone();
        // Rendering and signing take their own transaction, off the dispatcher.
        tokio::spawn(async move {
            let found = store::by_application(&*p.db, application, Kind::Decision.code()).await;
            if let Ok(Some(d)) = found {
                match issue(&p, d.id).await {
                    Ok(()) => p.after_commit().await,
                    Err(e) => {
                        tracing::warn!(document = %d.id, error = ?e, "decision left for the sweep")
                    }
                }
            }
        });
    }
}
