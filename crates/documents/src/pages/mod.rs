//! The cabinet's «Мои документы» (list with filters, ordering certificates,
//! one document with email and postal delivery) and the public check page
//! the documents' QR codes lead to. Every page calls the same services as
//! the API.

mod mine;
mod verify;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use sep_platform::Platform;
use sep_platform::throttle::Cost;
use sep_platform::throttle::http::limited;

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/documents", get(mine::list))
        .route("/documents/order", get(mine::order_form).post(mine::order))
        .route("/documents/{id}", get(mine::show))
        .route("/documents/{id}/email", post(mine::email))
        .route("/documents/{id}/postal", post(mine::postal))
}

/// The check pages take a file up to the API's limit.
pub fn upload_routes() -> Router<Platform> {
    Router::new()
        .route(
            "/verify",
            limited(Cost::Public, get(verify::blank))
                .merge(limited(Cost::Heavy, post(verify::check_any))),
        )
        .route(
            "/verify/{token}",
            limited(Cost::Public, get(verify::show))
                .merge(limited(Cost::Heavy, post(verify::check_named))),
        )
        .layer(DefaultBodyLimit::max(
            super::http::MAX_CHECKED_FILE + 64 * 1024,
        ))
}
