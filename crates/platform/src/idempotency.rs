//! The `Idempotency-Key` header: a client's name for one intended effect, so
//! a retried request finds the first one's result instead of repeating it.

use crate::error::AppError;
use axum::http::HeaderMap;
use sep_kernel::Rule;

pub const HEADER: &str = "idempotency-key";
const MAX_LEN: usize = 128;

/// 1–128 printable ASCII characters.
pub fn check(key: &str) -> Result<(), AppError> {
    let ok = !key.is_empty() && key.len() <= MAX_LEN && key.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(AppError::BadRequest(Rule("idempotency-key-format")))
    }
}

/// The key a request carries; required.
pub fn from_headers(headers: &HeaderMap) -> Result<String, AppError> {
    let key = headers
        .get(HEADER)
        .ok_or(AppError::BadRequest(Rule("idempotency-key-required")))?
        .to_str()
        .map_err(|_| AppError::BadRequest(Rule("idempotency-key-format")))?;
    check(key)?;
    Ok(key.to_string())
}
