//! Payments' answers to the other contexts (`sep_contracts::payments`).

use crate::service;
use sep_contracts::payments::{FeeRequest, Fees};
use sep_platform::Platform;
use sep_platform::error::Result;
use uuid::Uuid;

pub struct Published;

#[async_trait::async_trait]
impl Fees for Published {
    async fn state_fee(&self, p: &Platform, req: FeeRequest<'_>) -> Result<String> {
        service::state_fee(p, req).await
    }

    async fn state_fees(&self, p: &Platform, reqs: Vec<FeeRequest<'_>>) -> Result<Vec<String>> {
        service::state_fees(p, reqs).await
    }

    async fn fee_of(&self, p: &Platform, application: Uuid) -> Result<Option<(String, bool)>> {
        service::fee_of(p, application).await
    }

    async fn fees_paid(&self, p: &Platform, applications: &[Uuid]) -> Result<Vec<Uuid>> {
        service::fees_paid(p, applications).await
    }

    async fn recently_paid_fees(
        &self,
        p: &Platform,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Uuid>> {
        service::recently_paid_fees(p, since).await
    }
}
