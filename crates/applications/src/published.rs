//! Applications' answers to the other contexts (`sep_contracts::applications`).

use crate::service;
use sep_contracts::applications::{Applications, AttachmentView, Decision};
use sep_identity::service::Principal;
use sep_platform::Platform;
use sep_platform::error::Result;
use uuid::Uuid;

pub struct Published;

#[async_trait::async_trait]
impl Applications for Published {
    async fn decision_of(&self, p: &Platform, id: Uuid) -> Result<Decision> {
        service::decision_of(p, id).await
    }

    async fn uploads_of(&self, p: &Platform, who: &Principal) -> Result<Vec<AttachmentView>> {
        service::my_uploads(p, who).await
    }
}
