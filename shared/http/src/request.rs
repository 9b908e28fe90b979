//! Reading requests: JSON bodies (content type, size limit, field-level errors), path and
//! query parameters.

use lambda_http::{Request, RequestExt};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

/// JSON bodies larger than this are refused with 413 (API Gateway itself stops at 10 MB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
/// Pages are small items (a character is a few hundred bytes), so a client reads 2,000 of them
/// in two requests; a page also ends where DynamoDB's 1 MB query page does, which bounds the
/// response at a few MB (Lambda allows 6).
const MAX_PAGE_LIMIT: i32 = 1000;
const DEFAULT_PAGE_LIMIT: i32 = 25;

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The JSON body of a request that must have one.
pub fn json_body<T: DeserializeOwned>(req: &Request, max_bytes: usize) -> Result<T, ApiError> {
    let bytes: &[u8] = req.body().as_ref();
    if bytes.len() > max_bytes {
        return Err(ApiError::PayloadTooLarge(max_bytes));
    }
    let content_type = req
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !is_json(content_type) {
        return Err(ApiError::UnsupportedMediaType(format!(
            "expected application/json, got {}",
            if content_type.is_empty() {
                "no content type"
            } else {
                content_type
            }
        )));
    }
    parse_json(bytes)
}

/// The optional body of every DELETE: a comment recorded with the change.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteRequest {
    pub comment: Option<String>,
}

/// The JSON body of a request where the body is optional (e.g. a DELETE with a comment).
pub fn optional_json_body<T: DeserializeOwned + Default>(
    req: &Request,
    max_bytes: usize,
) -> Result<T, ApiError> {
    let body: &[u8] = req.body().as_ref();
    // No body, or JSON `null`, is the absent body.
    if body.iter().all(u8::is_ascii_whitespace) || body.trim_ascii() == b"null" {
        return Ok(T::default());
    }
    json_body(req, max_bytes)
}

/// A body is read in two steps, so that only text that is not JSON at all is 400: the JSON
/// value first (syntax), then the request type from it, where every mismatch (a wrong type,
/// an enum given a number, a missing or unknown field) is 422 naming its field. Every
/// request body is an object: an array or a scalar is 422 for `body`, never read by
/// position.
fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    if !value.is_object() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "body",
            "must be a JSON object",
        )]));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        let field = field_of(&path, &message);
        ApiError::Validation(vec![FieldError::new(field, strip_position(&message))])
    })
}

/// The field an error is about: serde names unknown and missing fields only in its message,
/// and serde_path_to_error gives the path of the object that holds them.
fn field_of(path: &str, message: &str) -> String {
    let named = ["unknown field `", "missing field `"]
        .iter()
        .find_map(|prefix| message.split(prefix).nth(1))
        .and_then(|rest| rest.split('`').next());
    match (named, path) {
        (Some(name), "." | "") => name.to_owned(),
        (Some(name), parent) if !parent.ends_with(name) => format!("{parent}.{name}"),
        (_, "." | "") => "body".to_owned(),
        (_, path) => path.to_owned(),
    }
}

fn strip_position(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned()
}

/// A path parameter the route declares.
pub fn path_param(req: &Request, name: &str) -> Result<String, ApiError> {
    req.path_parameters_ref()
        .and_then(|params| params.first(name))
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| ApiError::BadRequest(format!("missing path parameter {name}")))
}

pub fn query_param(req: &Request, name: &str) -> Option<String> {
    req.query_string_parameters_ref()
        .and_then(|params| params.first(name))
        .map(str::to_owned)
}

/// The `limit` query parameter of a listing: 1..=100, 25 when absent.
pub fn page_limit(req: &Request) -> Result<i32, ApiError> {
    match query_param(req, "limit") {
        None => Ok(DEFAULT_PAGE_LIMIT),
        Some(raw) => raw
            .parse::<i32>()
            .ok()
            .filter(|limit| (1..=MAX_PAGE_LIMIT).contains(limit))
            .ok_or_else(|| ApiError::BadRequest(format!("limit must be 1 to {MAX_PAGE_LIMIT}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        title: String,
        inner: Option<Inner>,
        role: Option<Role>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Role {
        Editor,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Optional {
        comment: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        size: u32,
    }

    fn request(content_type: &str, body: &str) -> Request {
        http::Request::builder()
            .header("content-type", content_type)
            .body(lambda_http::Body::Text(body.to_owned()))
            .unwrap()
    }

    fn error(content_type: &str, body: &str) -> ApiError {
        json_body::<Body>(&request(content_type, body), 100).unwrap_err()
    }

    #[test]
    fn malformed_json_is_400_and_the_wrong_content_type_415() {
        assert_eq!(error("application/json", "{\"title\":").status(), 400);
        assert_eq!(
            error("application/json", "{\"title\":\"x\"} trailing").status(),
            400
        );
        assert_eq!(error("text/plain", "{\"title\":\"x\"}").status(), 415);
        assert!(
            json_body::<Body>(
                &request("application/json; charset=utf-8", "{\"title\":\"x\"}"),
                100
            )
            .is_ok()
        );
    }

    #[test]
    fn an_oversized_body_is_413() {
        let big = format!("{{\"title\":\"{}\"}}", "x".repeat(200));
        assert_eq!(error("application/json", &big).status(), 413);
    }

    #[test]
    fn unknown_missing_and_mistyped_fields_are_422_naming_the_field() {
        let field = |e: ApiError| match e {
            ApiError::Validation(errors) => errors[0].field.clone(),
            other => panic!("not a validation error: {other:?}"),
        };
        assert_eq!(
            field(error("application/json", "{\"title\":\"x\",\"colour\":1}")),
            "colour"
        );
        assert_eq!(field(error("application/json", "{}")), "title");
        assert_eq!(field(error("application/json", "{\"title\":5}")), "title");
        assert_eq!(
            field(error(
                "application/json",
                "{\"title\":\"x\",\"inner\":{\"size\":-1}}"
            )),
            "inner.size"
        );
        assert_eq!(
            field(error("application/json", "{\"title\":\"x\",\"inner\":{}}")),
            "inner.size"
        );
    }

    #[test]
    fn an_enum_given_another_type_and_a_body_that_is_no_object_are_422_naming_the_field() {
        let field = |e: ApiError| match e {
            ApiError::Validation(errors) => errors[0].field.clone(),
            other => panic!("not a validation error: {other:?}"),
        };
        assert_eq!(
            field(error("application/json", "{\"title\":\"x\",\"role\":5}")),
            "role"
        );
        assert_eq!(
            field(error(
                "application/json",
                "{\"title\":\"x\",\"role\":\"owner\"}"
            )),
            "role"
        );
        // Arrays are not read by position into the fields.
        for body in ["[\"x\"]", "[]", "\"x\"", "5", "null"] {
            assert_eq!(field(error("application/json", body)), "body", "{body}");
        }
        assert!(matches!(
            json_body::<Body>(
                &request("application/json", "{\"title\":\"x\",\"role\":\"editor\"}"),
                100
            ),
            Ok(Body {
                role: Some(Role::Editor),
                ..
            })
        ));
    }

    #[test]
    fn an_optional_body_may_be_absent_or_null_but_not_another_type() {
        for absent in ["", "  ", "null", " null\n"] {
            let body = optional_json_body::<Optional>(&request("application/json", absent), 100);
            assert!(matches!(body, Ok(Optional { comment: None })), "{absent:?}");
        }
        let comment = optional_json_body::<Optional>(
            &request("application/json", "{\"comment\":\"why\"}"),
            100,
        );
        assert_eq!(comment.unwrap().comment.as_deref(), Some("why"));
        let refused = optional_json_body::<Optional>(&request("application/json", "[1]"), 100);
        assert_eq!(refused.map_err(|e| e.status()).err(), Some(422));
    }

    fn with_limit(limit: &str) -> Result<i32, ApiError> {
        let mut query = std::collections::HashMap::new();
        query.insert("limit".to_owned(), vec![limit.to_owned()]);
        page_limit(&request("application/json", "").with_query_string_parameters(query))
    }

    #[test]
    fn a_page_holds_up_to_a_thousand_items() {
        assert_eq!(with_limit("1000").ok(), Some(1000));
        assert_eq!(with_limit("1").ok(), Some(1));
        for refused in ["0", "1001", "-5", "many"] {
            assert_eq!(
                with_limit(refused).map_err(|e| e.status()),
                Err(400),
                "{refused}"
            );
        }
    }
}
