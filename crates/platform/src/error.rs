//! One application error for every context. Handlers return it; it becomes a
//! problem document (JSON or XML, in the request's language) on `/api`, or an
//! HTML page with the request id on the cabinet's pages. The rendering happens
//! in [`crate::negotiate::render`], which can see the request.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sep_kernel::{FieldError, Rule};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid fields: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("conflict: {0:?}")]
    Conflict(Vec<FieldError>),
    #[error("unauthorized: {0}")]
    Unauthorized(Rule),
    /// A one-time code that did not let the person in: 401, with the `code`
    /// field's error (and tries left) so a form can show it in place.
    #[error("code refused: {0:?}")]
    CodeRefused(FieldError),
    #[error("locked for {retry_after_secs} s")]
    Locked { retry_after_secs: i64 },
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("too many requests: {rule}")]
    TooMany { rule: Rule, retry_after_secs: i64 },
    #[error("bad request: {0}")]
    BadRequest(Rule),
    /// An action that cannot be taken now, with a message that says why:
    /// `args` name message keys (a state, an action) shown in the reader's language.
    #[error("refused: {rule}")]
    Refused {
        kind: Refusal,
        rule: Rule,
        args: Vec<(&'static str, String)>,
    },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What kind of refusal it is, in the service's terms; the edge picks the
/// HTTP status from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may not do this (403).
    NotAllowed,
    /// Not possible in the object's present state (409).
    Conflict,
    /// More than the request may carry (413).
    TooLarge,
    /// The request cannot be read as sent (422).
    Unreadable,
    /// A body of a type the route does not take (415).
    MediaType,
    /// A method the route does not answer (405).
    Method,
}

impl Refusal {
    pub fn status(self) -> StatusCode {
        match self {
            Self::NotAllowed => StatusCode::FORBIDDEN,
            Self::Conflict => StatusCode::CONFLICT,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unreadable => StatusCode::UNPROCESSABLE_ENTITY,
            Self::MediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Method => StatusCode::METHOD_NOT_ALLOWED,
        }
    }
}

impl AppError {
    /// A refusal of `kind` with no arguments in its message.
    pub fn refused(kind: Refusal, rule: &'static str) -> Self {
        Self::Refused {
            kind,
            rule: Rule(rule),
            args: vec![],
        }
    }

    pub fn field(field: &'static str, rule: &'static str) -> Self {
        Self::Invalid(vec![FieldError::new(field, Rule(rule))])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unauthorized(_) | Self::CodeRefused(_) => StatusCode::UNAUTHORIZED,
            Self::Locked { .. } => StatusCode::LOCKED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Refused { kind, .. } => kind.status(),
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable problem code: the `type` of the problem document and its message key.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "validation",
            Self::Conflict(_) => "conflict",
            Self::Unauthorized(rule)
            | Self::BadRequest(rule)
            | Self::TooMany { rule, .. }
            | Self::Refused { rule, .. } => rule.code(),
            Self::CodeRefused(e) => e.rule.code(),
            Self::Locked { .. } => "account-locked",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not-found",
            Self::Internal(_) => "internal",
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(v) | Self::Conflict(v) => v,
            Self::CodeRefused(e) => std::slice::from_ref(e),
            _ => &[],
        }
    }

    /// 403 with a reason: the actor may not do this (an account level too
    /// low, another agency's object) — said in domain terms by the service.
    pub fn not_allowed(rule: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Self::Refused {
            kind: Refusal::NotAllowed,
            rule: Rule(rule),
            args,
        }
    }

    /// 409: the action is not possible in the object's present state.
    pub fn conflict(rule: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Self::Refused {
            kind: Refusal::Conflict,
            rule: Rule(rule),
            args,
        }
    }

    /// What a refusal says, in `lang`, with its arguments translated.
    pub fn refusal_message(&self, lang: sep_kernel::i18n::Lang) -> Option<String> {
        let Self::Refused { rule, args, .. } = self else {
            return None;
        };
        let args: Vec<(&'static str, sep_kernel::i18n::FluentValue<'static>)> = args
            .iter()
            .map(|(k, key)| (*k, lang.t(key).into()))
            .collect();
        Some(lang.t_args(&format!("rule-{}", rule.code()), &args))
    }

    pub fn retry_after_secs(&self) -> Option<i64> {
        match self {
            Self::Locked { retry_after_secs }
            | Self::TooMany {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(e.into())
    }
}

/// The error travels to the renderer inside the response's extensions.
#[derive(Clone)]
pub struct Problem(pub std::sync::Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let mut response = self.status().into_response();
        if let Some(secs) = self.retry_after_secs() {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.max(1).into());
        }
        response
            .extensions_mut()
            .insert(Problem(std::sync::Arc::new(self)));
        response
    }
}
