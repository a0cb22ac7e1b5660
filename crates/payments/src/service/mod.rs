//! Payment use cases: charges (agencies post and cancel them, a person sees
//! theirs, anyone looks one up by УИН), paying them (or topping up the
//! personal account) through the acquirer, its word applied however it
//! arrives, and linked cards.

mod account;
mod cards;
mod charges;
mod documents;
mod fees;
mod pay;
mod receipts;
mod settle;

use crate::acquirer::Acquirer;
use sep_platform::Platform;

pub use account::{
    AccountView, History, HistoryQuery, RefundInput, RefundView, account, history, refund,
    retry_refunds, statement,
};
pub use cards::{CardView, LinkCardInput, link_card, my_cards, remove_card};
pub use charges::{ChargeView, cancel_charge, charge, my_charges, post_charge};
pub use documents::{
    PayerDocumentInput, PayerDocumentView, add_payer_document, payer_documents,
    remove_payer_document,
};
pub use fees::{FeeRequest, fee_of, fees_paid, recently_paid_fees, state_fee, state_fees};
pub use pay::{Created, PaidCharge, PaymentView, cancel, confirm, my_payments, pay, payment};
pub use receipts::{
    ATTACHMENT_SOURCE as RECEIPT_SOURCE, ReceiptCheck, ReceiptMail, check as check_receipt,
    check_path, receipt, receipt_pdf,
};
pub use settle::{RECONCILE_AFTER, Reconciled, callback, reconcile, record_word};

/// The acquirer adapter installed at boot.
fn acquirer(p: &Platform) -> &Acquirer {
    p.adapters
        .get::<Acquirer>()
        .expect("the acquirer adapter is installed at boot")
}
