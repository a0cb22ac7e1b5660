//! Signatures' answers to the other contexts (`sep_contracts::signatures`).

use crate::{acts, service, trust, users};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;
use sep_contracts::signatures::{
    Act, AgencySigner, CertificateView, SignatureCheck, Signatures, SignedActView,
};
use sep_identity::service::Principal;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::error::Result;
use uuid::Uuid;

pub struct Published;

#[async_trait::async_trait]
impl Signatures for Published {
    async fn sign_as_agency(&self, p: &Platform, agency: &str, bytes: &[u8]) -> Result<Vec<u8>> {
        service::sign_as_agency(p, agency, bytes).await
    }

    async fn agency_signer(&self, p: &Platform, agency: &str) -> Result<AgencySigner> {
        service::agency_signer(p, agency).await
    }

    async fn check_agency_signature(
        &self,
        p: &Platform,
        content: &[u8],
        signature: &[u8],
    ) -> Result<SignatureCheck> {
        trust::check_agency_signature(p, content, signature).await
    }

    async fn record_simple(
        &self,
        txn: &DatabaseTransaction,
        acts: &[(Uuid, DateTime<Utc>, Act<'_>)],
    ) -> Result<()> {
        acts::record_simple(txn, acts).await
    }

    async fn sign(
        &self,
        p: &Platform,
        client: &Client,
        who: &Principal,
        act: Act<'_>,
        signature: &[u8],
    ) -> Result<SignedActView> {
        acts::sign(p, client, who, act, signature).await
    }

    async fn signatures_of(&self, p: &Platform, act: Act<'_>) -> Result<Vec<SignedActView>> {
        acts::signatures_of(p, act).await
    }

    async fn certificates_of(&self, p: &Platform, who: &Principal) -> Result<Vec<CertificateView>> {
        users::mine(p, who).await
    }
}
