//! The catalogue's answers to the other contexts (`sep_contracts::catalog`).

use crate::service;
use sep_contracts::catalog::{Catalogue, FeePayee, ServiceSummary, ServiceTerms};
use sep_forms::Form;
use sep_kernel::i18n::Text;
use sep_kernel::{Code, PayeeInput, RegionCode};
use sep_platform::Platform;
use sep_platform::error::Result;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Installed once per running instance; it keeps the titles it has read,
/// which never change once a service exists (no route edits them), and the
/// forms, of which each version is written once and never altered or removed
/// (a changed form is a new version).
#[derive(Default)]
pub struct Published {
    titles: std::sync::Mutex<HashMap<String, Text>>,
    forms: std::sync::Mutex<HashMap<(String, i32), Arc<Form>>>,
}

#[async_trait::async_trait]
impl Catalogue for Published {
    async fn summary(&self, p: &Platform, code: &str) -> Result<ServiceSummary> {
        Ok(service::service(p, code, false).await?.summary)
    }

    async fn search(
        &self,
        p: &Platform,
        query: &str,
        category: Option<&str>,
    ) -> Result<Vec<ServiceSummary>> {
        service::search(p, query, category).await
    }

    async fn terms(&self, p: &Platform, code: &str) -> Result<Option<ServiceTerms>> {
        service::terms(p, code).await
    }

    async fn title(&self, p: &Platform, code: &str) -> Result<Option<Text>> {
        if let Some(t) = self
            .titles
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(code)
        {
            return Ok(Some(t.clone()));
        }
        let Some(terms) = service::terms(p, code).await? else {
            return Ok(None);
        };
        let mut titles = self.titles.lock().unwrap_or_else(|e| e.into_inner());
        // Bounded by the catalogue itself: one entry per service that exists.
        titles.insert(code.to_string(), terms.title.clone());
        Ok(Some(terms.title))
    }

    async fn form(&self, p: &Platform, code: &str, version: i32) -> Result<Arc<Form>> {
        let key = (code.to_string(), version);
        if let Some(f) = self
            .forms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(f.clone());
        }
        let form = service::form(p, code, version).await?;
        // Bounded by the catalogue itself: one entry per stored version.
        self.forms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, form.clone());
        Ok(form)
    }

    async fn route(&self, p: &Platform, service: &str, region: Option<RegionCode>) -> Result<Code> {
        service::route(p, service, region).await
    }

    async fn fee_payee(&self, p: &Platform, service: &str) -> Result<Option<FeePayee>> {
        service::fee_payee(p, service).await
    }

    async fn payee_of(&self, p: &Platform, agency: &str) -> Result<Option<PayeeInput>> {
        service::payee_of(p, agency).await
    }

    async fn agency_names(&self, p: &Platform) -> Result<HashMap<String, String>> {
        service::agency_names(p).await
    }

    async fn agency_name(&self, p: &Platform, code: &str) -> Result<String> {
        service::agency_name(p, code).await
    }

    async fn department_name(&self, p: &Platform, code: &str) -> Result<Option<Text>> {
        Ok(service::department(p, code).await?.map(|d| d.name))
    }

    async fn departments_of_officer(&self, p: &Platform, user: Uuid) -> Result<Vec<String>> {
        service::departments_of_officer(p, user).await
    }

    async fn officers_of(&self, p: &Platform, department: &str) -> Result<Vec<Uuid>> {
        service::officers_of(p, department).await
    }
}
