//! HTTP glue for API Gateway (HTTP API) functions: problem+json errors mapped in one place,
//! JSON bodies with content-type and size checks, path and query parameters, ETag / If-Match,
//! the principal from the authorizer, correlation ids, and the wrapper every handler runs in.

mod deps;
mod error;
mod etag;
mod handler;
mod principal;
mod problem;
mod request;
mod response;
pub mod text_schema;
mod validate;

pub use deps::TableDeps;
pub use error::{ApiError, FieldError};
pub use etag::{IfMatch, etag, if_match, require_if_match};
pub use handler::{Access, CORRELATION_HEADER, Ctx, serve};
pub use lambda_http::{Body, Request, Response};
pub use principal::Principal;
pub use problem::{PROBLEM_CONTENT_TYPE, Problem};
pub use request::{
    DEFAULT_MAX_BODY_BYTES, DeleteRequest, json_body, optional_json_body, page_limit, path_param,
    query_param,
};
pub use response::{created, json, no_content};
pub use validate::{Checks, MAX_COMMENT_CHARS, MAX_EMAIL_CHARS, nullable};
