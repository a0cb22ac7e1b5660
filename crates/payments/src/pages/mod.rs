//! The cabinet's payment pages: «Начисления» (and a charge by УИН), paying
//! with the confirmation code, the payments' history with receipts, the
//! personal account with its statement, linked cards, and the public check
//! of a receipt. Every page calls the same services as the API.

mod account;
mod charges;
mod pay;

use axum::Router;
use axum::routing::{get, post};
use sep_kernel::Kopecks;
use sep_platform::Platform;
use sep_platform::throttle::Cost;
use sep_platform::throttle::http::limited;

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/charges", get(charges::list))
        .route("/charges/find", limited(Cost::Public, get(charges::find)))
        .route("/charges/documents", post(charges::add_document))
        .route(
            "/charges/documents/{id}/remove",
            post(charges::remove_document),
        )
        .route("/payments", get(pay::history))
        .route("/payments/new", get(pay::form).post(pay::start))
        .route("/payments/{id}", get(pay::show_payment))
        .route("/payments/{id}/confirm", post(pay::confirm))
        .route("/payments/{id}/cancel", post(pay::cancel))
        .route(
            "/receipts/{id}/{code}",
            limited(Cost::Public, get(pay::check)),
        )
        .route("/account", get(account::show_account))
        .route("/account/refund", post(account::refund))
        .route("/cards", get(account::cards).post(account::link))
        .route("/cards/{id}/remove", post(account::unlink))
}

/// Money as the pages show it.
fn money(k: i64) -> String {
    Kopecks(k).show()
}
