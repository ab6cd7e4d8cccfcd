//! The one way admin routes read a request body: as JSON, whatever the `Content-Type`.
//!
//! The README's examples (and most hand-typed calls) are `curl -d '{…}'`, which sends
//! `application/x-www-form-urlencoded`; axum's `Json` would refuse them with a plain-text 415.
//! The body is JSON by contract, so the header is not consulted, and an empty body reads as `{}`
//! (a bare `POST /__admin/reset` resets everything). Every admin body is an object; serde would
//! otherwise read `[]` as a struct with every field left out.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::AdminError;
use crate::http::body;

/// A JSON request body, read whatever its `Content-Type` says; its rejections are admin errors.
pub(crate) struct AdminJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AdminJson<T> {
    type Rejection = AdminError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let body = body::read(request.into_body()).await?;
        parse(&body).map(Self)
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AdminError> {
    let body: &[u8] = match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => b"{}",
        Some(b'{') => body,
        Some(_) if serde_json::from_slice::<serde_json::Value>(body).is_ok() => {
            return Err(AdminError::BadRequest(
                "the request body must be a JSON object".into(),
            ))
        }
        Some(_) => body,
    };
    serde_json::from_slice(body).map_err(|error| {
        AdminError::BadRequest(match error.classify() {
            Category::Data => format!("the request body does not fit this route: {error}"),
            Category::Io | Category::Syntax | Category::Eof => {
                format!("the request body is not JSON: {error}")
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Change {
        seconds: Option<u64>,
    }

    #[test]
    fn an_empty_body_reads_as_an_empty_object() {
        for body in ["", " \n"] {
            assert_eq!(parse::<Change>(body.as_bytes()).unwrap(), Change::default());
        }
    }

    #[test]
    fn bodies_that_are_not_json_or_do_not_fit_say_which() {
        for (body, expected) in [
            (
                "seconds=5",
                "the request body is not JSON: expected value at line 1 column 1",
            ),
            (
                r#"{"seconds": 5"#,
                "the request body is not JSON: EOF while parsing an object at line 1 column 13",
            ),
            ("[]", "the request body must be a JSON object"),
            (
                r#"{"minutes": 5}"#,
                "the request body does not fit this route: unknown field `minutes`, expected `seconds` at line 1 column 10",
            ),
        ] {
            let error = parse::<Change>(body.as_bytes()).unwrap_err();
            assert_eq!(error.to_string(), expected, "{body}");
        }
    }
}
