//! The ports joined: each context answers the others through the traits of
//! `sep_contracts`, and only the binary, which sees every context, installs
//! the answers. Contexts never import each other.

use sep_contracts::{applications, catalog, payments, signatures};
use std::sync::Arc;

pub fn install(adapters: &mut axum::http::Extensions) {
    adapters.insert::<Arc<dyn catalog::Catalogue>>(Arc::new(sep_catalog::Published::default()));
    adapters.insert::<Arc<dyn payments::Fees>>(Arc::new(sep_payments::Published));
    adapters.insert::<Arc<dyn signatures::Signatures>>(Arc::new(sep_signatures::Published));
    adapters.insert::<Arc<dyn applications::Applications>>(Arc::new(sep_applications::Published));
    // Not a port: the instance's queue of submissions written together.
    adapters.insert(Arc::new(sep_applications::service::Intake::default()));
}
