//! Reading `multipart/form-data` within bounds: a body cut off by the size
//! limit is the file's field error ("too large"); a body that is not well
//! formed multipart is a 400 saying so; more parts than any of our forms has
//! is refused before they are read.

use crate::error::AppError;
use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;
use sep_kernel::Rule;

/// More parts than the largest form (the application form's fields and its
/// files) could ever post.
pub const MAX_PARTS: usize = 200;

/// What a multipart failure means for the person: the file in `field` over
/// its limit (`too_large` names the rule with the limit), or a malformed body.
pub fn refusal(e: &MultipartError, field: &'static str, too_large: &'static str) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::field(field, too_large)
    } else {
        AppError::BadRequest(Rule("multipart-malformed"))
    }
}

/// How a form's failures are named: the file field and its too-large rule.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub field: &'static str,
    pub too_large: &'static str,
}

impl Rules {
    pub async fn bytes(self, part: Field<'_>) -> Result<Vec<u8>, AppError> {
        part.bytes()
            .await
            .map(|b| b.to_vec())
            .map_err(|e| refusal(&e, self.field, self.too_large))
    }

    pub async fn text(self, part: Field<'_>) -> Result<String, AppError> {
        part.text()
            .await
            .map_err(|e| refusal(&e, self.field, self.too_large))
    }
}

/// A multipart body read part by part, counting the parts.
pub struct Parts<'a> {
    form: &'a mut Multipart,
    seen: usize,
    field: &'static str,
    too_large: &'static str,
}

impl<'a> Parts<'a> {
    pub fn new(form: &'a mut Multipart, field: &'static str, too_large: &'static str) -> Self {
        Self {
            form,
            seen: 0,
            field,
            too_large,
        }
    }

    pub fn rules(&self) -> Rules {
        Rules {
            field: self.field,
            too_large: self.too_large,
        }
    }

    /// The next part, or a refusal: malformed, too large, too many parts.
    pub async fn next(&mut self) -> Result<Option<Field<'_>>, AppError> {
        self.seen += 1;
        if self.seen > MAX_PARTS {
            return Err(AppError::refused(
                crate::error::Refusal::TooLarge,
                "multipart-too-many-parts",
            ));
        }
        let (field, too_large) = (self.field, self.too_large);
        self.form
            .next_field()
            .await
            .map_err(|e| refusal(&e, field, too_large))
    }
}
