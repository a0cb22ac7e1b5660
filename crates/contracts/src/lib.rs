//! The published language of СЭП's contexts: the events each one publishes
//! and the small vocabulary they share (an application's states and actions,
//! a payment's methods). It sits below every context so that a consumer reads
//! a producer's events without importing the producer: contexts never import
//! each other, and a change inside one rebuilds only it and the binary.
//!
//! Each module belongs to the context it is named after, which re-exports it
//! (`sep_payments::events` is [`payments`]); no I/O here.

pub mod applications;
pub mod catalog;
pub mod documents;
pub mod payments;
pub mod signatures;

/// The answer a context installed at boot for the port `T` (the binary
/// installs every port in `App::build`, so a missing one is a wiring bug).
fn port<T: ?Sized + Send + Sync + 'static>(p: &sep_platform::Platform) -> &T {
    p.adapters
        .get::<std::sync::Arc<T>>()
        .map(|a| &**a)
        .unwrap_or_else(|| panic!("port {} is installed at boot", std::any::type_name::<T>()))
}
