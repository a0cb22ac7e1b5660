//! The ports one context offers and another fills, joined here: a context
//! below cannot call one beside it, so the binary, which sees both, answers.

use sep_platform::Platform;
use sep_platform::error::Result;

/// Payments asks whom an agency's charges are paid to; the catalogue knows.
pub struct CataloguePayees;

#[async_trait::async_trait]
impl sep_payments::service::AgencyPayees for CataloguePayees {
    async fn payee_of(&self, p: &Platform, agency: &str) -> Result<Option<sep_kernel::PayeeInput>> {
        sep_catalog::service::payee_of(p, agency).await
    }
}
