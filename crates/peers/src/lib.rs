//! The outside systems СЭП talks to, shipped as real peers that speak their
//! own protocols over HTTP, so the product runs whole on one machine and its
//! tests exercise the real wire, not mocks. They know nothing of СЭП's code:
//! СЭП reaches them only through their APIs.

pub mod acquirer;
pub mod sms;
