//! Payment rules: no I/O.

pub mod charge;
pub mod intent;
pub mod ledger;
pub mod receipt;
pub mod request;
pub mod statement;

pub use charge::{Charge, ChargeInput, ChargeKind, Discount, Payee, PayeeInput};
pub use intent::{IntentEvent, IntentState, Outcome};
pub use ledger::{LedgerAccount, Movement, Posting, Unbalanced, balance};
pub use receipt::{Receipt, ReceiptLine};
pub use request::{Card, CardInput, Method, PayBy, PaymentInput, PaymentRequest, Purpose};
pub use statement::{Statement, StatementEntry};
