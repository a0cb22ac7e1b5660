//! What the catalogue tells the other contexts: a service's terms, its form,
//! where its applications go, whom its fees are paid to, and the names of
//! agencies and departments. The catalogue answers through [`Catalogue`],
//! installed at boot; [`catalogue`] finds it.

use sep_forms::Form;
use sep_identity::model::AssuranceLevel;
use sep_kernel::i18n::{Lang, Text};
use sep_kernel::{Code, PayeeInput, RegionCode};
use sep_platform::Platform;
use sep_platform::error::Result;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

#[async_trait::async_trait]
pub trait Catalogue: Send + Sync {
    /// An active service; not found when there is none or it is withdrawn.
    async fn summary(&self, p: &Platform, code: &str) -> Result<ServiceSummary>;
    /// Active services matching `query` (all when empty), in `category` if named.
    async fn search(
        &self,
        p: &Platform,
        query: &str,
        category: Option<&str>,
    ) -> Result<Vec<ServiceSummary>>;
    /// Any service, withdrawn ones too.
    async fn terms(&self, p: &Platform, code: &str) -> Result<Option<ServiceTerms>>;
    /// A service's title (never changed once the service exists, so cheap to
    /// ask for every line of a list).
    async fn title(&self, p: &Platform, code: &str) -> Result<Option<Text>>;
    /// A version of a service's form, checked and ready to validate answers.
    async fn form(&self, p: &Platform, code: &str, version: i32) -> Result<Arc<Form>>;
    /// The department an application from `region` goes to.
    async fn route(&self, p: &Platform, service: &str, region: Option<RegionCode>) -> Result<Code>;
    async fn fee_payee(&self, p: &Platform, service: &str) -> Result<Option<FeePayee>>;
    /// The requisites an agency's charges are paid to, if it names them.
    async fn payee_of(&self, p: &Platform, agency: &str) -> Result<Option<PayeeInput>>;
    /// Every agency's Russian name by its code.
    async fn agency_names(&self, p: &Platform) -> Result<HashMap<String, String>>;
    /// An agency's Russian name; not found for an unknown code.
    async fn agency_name(&self, p: &Platform, code: &str) -> Result<String>;
    async fn department_name(&self, p: &Platform, code: &str) -> Result<Option<Text>>;
    async fn departments_of_officer(&self, p: &Platform, user: Uuid) -> Result<Vec<String>>;
    async fn officers_of(&self, p: &Platform, department: &str) -> Result<Vec<Uuid>>;
}

/// The catalogue, as installed at boot.
pub fn catalogue(p: &Platform) -> &dyn Catalogue {
    crate::port(p)
}

/// Заявление, петиция, жалоба: one application type with a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    #[default]
    Request,
    Petition,
    Complaint,
}

impl ApplicationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Petition => "petition",
            Self::Complaint => "complaint",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Request, Self::Petition, Self::Complaint]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// What another context needs to know about a service to accept an application.
#[derive(Debug, Clone)]
pub struct ServiceTerms {
    pub code: Code,
    pub title: Text,
    pub agency: Code,
    pub fee_kopecks: i64,
    pub deadline_days: u32,
    pub level: AssuranceLevel,
    pub kind: ApplicationKind,
    pub form_version: i32,
    pub active: bool,
}

/// Where an application's state fee is paid: the service's agency and its requisites.
pub struct FeePayee {
    pub agency: String,
    pub payee: PayeeInput,
    pub service_title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgencyRef {
    pub code: String,
    pub name: Text,
}

#[derive(Debug, Serialize)]
pub struct ServiceSummary {
    pub code: String,
    pub title: Text,
    pub summary: Text,
    pub category: String,
    pub agency: AgencyRef,
    /// Госпошлина, in kopecks.
    pub fee_kopecks: i64,
    /// Срок оказания, in working days.
    pub deadline_days: i32,
    pub level: AssuranceLevel,
    pub kind: ApplicationKind,
    pub form_version: i32,
}

/// A fee as people read it: «1 500 ₽», «350,50 ₽», «бесплатно».
pub fn money(lang: Lang, kopecks: i64) -> String {
    if kopecks == 0 {
        lang.t("fee-free")
    } else {
        sep_kernel::Kopecks(kopecks).show()
    }
}

/// A service as a line of the catalogue, in the reader's language.
pub struct ServiceLine {
    pub code: String,
    pub title: String,
    pub summary: String,
    pub agency: String,
    pub fee: String,
    pub deadline: String,
    pub level: String,
}

impl ServiceLine {
    pub fn new(lang: Lang, s: &ServiceSummary) -> Self {
        Self {
            code: s.code.clone(),
            title: s.title.get(lang).to_string(),
            summary: s.summary.get(lang).to_string(),
            agency: s.agency.name.get(lang).to_string(),
            fee: money(lang, s.fee_kopecks),
            deadline: lang.t_args("deadline-days", &[("count", s.deadline_days.into())]),
            level: lang.t(&format!("level-{}", s.level.as_str())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_like_russian_prices() {
        assert_eq!(money(Lang::Ru, 0), "бесплатно");
        assert_eq!(money(Lang::Ru, 600_000), "6\u{a0}000\u{a0}₽");
        assert_eq!(money(Lang::Ru, 35_050), "350,50\u{a0}₽");
        assert_eq!(money(Lang::Ru, 123_456_700), "1\u{a0}234\u{a0}567\u{a0}₽");
    }
}
