//! Errors as the API answers them: a status and a JSON body that says what went wrong and, when
//! one field is at fault, which. Messages never name what the caller may not see.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parley_model::diagnostic::Diagnostic;
use serde::Serialize;

/// An error answered to a client.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    /// The field at fault, as a path in the request (`as_of`, `stance`, `points[2].issue`).
    pub(crate) field: Option<String>,
    /// Every problem found, when there are several (a change that breaks validation).
    pub(crate) problems: Vec<Problem>,
    /// Seconds to wait before trying again (429).
    pub(crate) retry_after: Option<u64>,
}

/// One problem of a rejected change.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    /// The field at fault.
    pub(crate) field: String,
    /// The kind of problem (`unknown-reference`, `duplicate-id`, ...).
    pub(crate) kind: &'static str,
    /// What is wrong and what was expected.
    pub(crate) message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    status: u16,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "<[Problem]>::is_empty")]
    problems: &'a [Problem],
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            field: None,
            problems: Vec::new(),
            retry_after: None,
        }
    }

    pub(crate) fn bad_request(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message).with_field(field)
    }

    pub(crate) fn with_message(mut self, message: impl Into<String>) -> ApiError {
        self.message = message.into();
        self
    }

    pub(crate) fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    pub(crate) fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "sign in first: send 'Authorization: Bearer <token>' or sign in at /sign-in",
        )
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    /// What a caller gets for something that does not exist or that it may not see: the two
    /// are answered alike, so that an answer never tells that a hidden record exists.
    pub(crate) fn not_found(what: &str, id: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, format!("no {what} '{id}'"))
    }

    pub(crate) fn internal(message: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("internal error: {message}"))
    }

    pub(crate) fn too_many_requests(retry_after: u64) -> ApiError {
        let mut error = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many requests: try again in {retry_after} s"),
        );
        error.retry_after = Some(retry_after);
        error
    }

    /// A change refused by validation, with every error; `prefix` is the path of the entity
    /// in the checked document (`drafts[3]`), stripped so that fields name the request's own.
    pub(crate) fn invalid(diagnostics: &[Diagnostic], prefix: Option<&str>) -> ApiError {
        let problems: Vec<Problem> = diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.is_error())
            .map(|diagnostic| {
                let path = diagnostic.path.to_string();
                let field = match prefix {
                    Some(prefix) => relative_field(&path, prefix),
                    None => path,
                };
                Problem {
                    field,
                    kind: diagnostic.kind.as_str(),
                    message: diagnostic.message.clone(),
                }
            })
            .collect();
        let (message, field) = match problems.first() {
            Some(first) if problems.len() == 1 => {
                (first.message.clone(), Some(first.field.clone()))
            }
            Some(first) => (
                format!("{} (and {} more problems)", first.message, problems.len() - 1),
                Some(first.field.clone()),
            ),
            None => ("the change was refused".to_owned(), None),
        };
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message,
            field: field.filter(|field| !field.is_empty()),
            problems,
            retry_after: None,
        }
    }
}

/// A path made relative to an entity's: `drafts[0].points[1].issue` under `drafts[0]` is
/// `points[1].issue`; a path elsewhere is kept whole.
fn relative_field(path: &str, prefix: &str) -> String {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.trim_start_matches('.').to_owned(),
        None => path.to_owned(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                status: self.status.as_u16(),
                message: &self.message,
                // An empty path is the whole body: no one field is at fault.
                field: self.field.as_deref().filter(|field| !field.is_empty()),
                problems: &self.problems,
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A view of the record asked for something it does not hold: the message names the id
/// alone, as every other "not found" answer does.
impl From<parley_report::Error> for ApiError {
    fn from(error: parley_report::Error) -> ApiError {
        match error {
            parley_report::Error::UnknownDraft { id, .. } => ApiError::not_found("draft", &id),
            parley_report::Error::UnknownParty { id, .. } => ApiError::not_found("party", &id),
            parley_report::Error::UnknownIssue { id, .. } => ApiError::not_found("issue", &id),
        }
    }
}

impl From<parley_store::Error> for ApiError {
    fn from(error: parley_store::Error) -> ApiError {
        match error {
            parley_store::Error::Invalid(diagnostics) => ApiError::invalid(&diagnostics, None),
            parley_store::Error::NothingAsOf { as_of } => ApiError::new(
                StatusCode::NOT_FOUND,
                format!("nothing was recorded at or before {as_of}"),
            )
            .with_field("as_of"),
            other => ApiError::internal(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_relative_to_the_entity() {
        assert_eq!(relative_field("drafts[0].points[1].issue", "drafts[0]"), "points[1].issue");
        assert_eq!(relative_field("drafts[0]", "drafts[0]"), "");
        assert_eq!(relative_field("parties[2].id", "drafts[0]"), "parties[2].id");
    }
}
