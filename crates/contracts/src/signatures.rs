//! What signatures tells the other contexts: agencies sign and check the
//! documents they issue, and people sign the acts of other contexts
//! (an application, a change request) with their certificates, through
//! [`Signatures`], installed at boot.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;
use sep_identity::service::Principal;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::error::Result;
use serde::Serialize;
use uuid::Uuid;

#[async_trait::async_trait]
pub trait Signatures: Send + Sync {
    /// `agency`'s detached CMS signature (DER) over `bytes`.
    async fn sign_as_agency(&self, p: &Platform, agency: &str, bytes: &[u8]) -> Result<Vec<u8>>;
    async fn agency_signer(&self, p: &Platform, agency: &str) -> Result<AgencySigner>;
    /// Whether an agency's signature over `content` stands.
    async fn check_agency_signature(
        &self,
        p: &Platform,
        content: &[u8],
        signature: &[u8],
    ) -> Result<SignatureCheck>;
    /// The simple signatures of signed-in people's acts (owner, when, act),
    /// inside the acts' own transaction, in one write.
    async fn record_simple(
        &self,
        txn: &DatabaseTransaction,
        acts: &[(Uuid, DateTime<Utc>, Act<'_>)],
    ) -> Result<()>;
    /// Adds `who`'s signature (detached CMS, DER) over the act's bytes.
    async fn sign(
        &self,
        p: &Platform,
        client: &Client,
        who: &Principal,
        act: Act<'_>,
        signature: &[u8],
    ) -> Result<SignedActView>;
    /// The signatures an act carries, each checked again.
    async fn signatures_of(&self, p: &Platform, act: Act<'_>) -> Result<Vec<SignedActView>>;
    /// The person's own certificates, annulled ones too.
    async fn certificates_of(&self, p: &Platform, who: &Principal) -> Result<Vec<CertificateView>>;
}

/// Signatures, as installed at boot.
pub fn signatures(p: &Platform) -> &dyn Signatures {
    crate::port(p)
}

/// What is signed: its kind, its id and the exact bytes.
pub struct Act<'a> {
    pub object_type: &'static str,
    pub object_id: String,
    pub payload: &'a [u8],
}

#[derive(Debug, Serialize)]
pub struct SignedActView {
    pub id: Uuid,
    /// simple, enhanced or qualified.
    pub level: String,
    pub signed_at: DateTime<Utc>,
    pub payload_sha256: String,
    /// Whether the kept signature still verifies over the act's bytes today.
    pub valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificateView {
    pub id: Uuid,
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub fingerprint_sha256: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// enhanced or qualified: the level of signatures made with it.
    pub level: String,
    pub added_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annulled_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annul_reason: Option<String>,
}

/// What a document's stamp prints about the certificate that signs for `agency`.
#[derive(Debug, Clone)]
pub struct AgencySigner {
    pub fingerprint: String,
    /// The serial number in hex, as certificate viewers show it.
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignatureCheck {
    pub valid: bool,
    /// Why not, as a rule name (`signature-digest-mismatch`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_sha256: Option<String>,
}

impl SignatureCheck {
    /// A signature that does not stand, and why.
    pub fn refused(problem: &'static str) -> Self {
        Self {
            valid: false,
            problem: Some(problem),
            agency: None,
            signed_at: None,
            certificate_sha256: None,
        }
    }
}
