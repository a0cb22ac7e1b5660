//! The cabinet's «Мои документы» and the public check page.

use crate::platform::Platform;
use axum::Router;

pub fn routes() -> Router<Platform> {
    Router::new()
}

pub fn upload_routes() -> Router<Platform> {
    Router::new()
}
