//! Decisions on applications as documents: when an application is approved
//! or refused, its agency's signed decision appears in the applicant's
//! «Мои документы».

use super::issue::{issue, request_decision};
use crate::store;
use crate::{model::Kind, model::Sheet};
use sep_applications::{service::Decision, service::decision_of};
use sep_platform::Platform;
use sep_platform::clock;
use sep_platform::db::Txn;
use sep_platform::error::Result;
use sep_platform::{events::Event, events::Subscriber};
use uuid::Uuid;

pub async fn decision_sheet(p: &Platform, application: Uuid) -> Result<Sheet> {
    Ok(sheet(&decision_of(p, application).await?))
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

fn decided(event: &Event) -> Option<Uuid> {
    if event.kind != "application.state"
        || !matches!(
            event.payload["state"].as_str(),
            Some("approved" | "refused")
        )
    {
        return None;
    }
    event.payload["application_id"].as_str()?.parse().ok()
}

/// Requests the decision document when an application is decided (in the
/// dispatch transaction: exactly once), and issues it once that has
/// committed; the sweep issues whatever this misses.
pub struct DecisionWatcher;

#[async_trait::async_trait]
impl Subscriber for DecisionWatcher {
    async fn handle(&self, p: &Platform, txn: &Txn, event: &Event) -> anyhow::Result<()> {
        let Some(application) = decided(event) else {
            return Ok(());
        };
        let Some(applicant) = event.payload["applicant_id"]
            .as_str()
            .and_then(|s| s.parse::<Uuid>().ok())
        else {
            return Ok(());
        };
        let service = event.payload["service"].as_str().unwrap_or_default();
        let Some(terms) = sep_catalog::service::terms(p, service).await? else {
            return Ok(());
        };
        request_decision(
            &**txn,
            event.at,
            applicant,
            application,
            &terms.agency.to_string(),
        )
        .await?;
        Ok(())
    }

    async fn committed(&self, p: &Platform, event: &Event) {
        let Some(application) = decided(event) else {
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
