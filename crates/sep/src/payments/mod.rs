//! Payments (SPEC M4): charges identified by УИН, payment intents through an
//! acquirer without double charges, receipts, linked cards and the personal
//! account as a double-entry ledger. (Being built: issue 4.)

pub mod model;
