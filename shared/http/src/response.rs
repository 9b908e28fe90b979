use lambda_http::{Body, Response};
use serde::Serialize;

use crate::error::ApiError;

/// A JSON response; `etag` is set for single resources.
pub fn json<T: Serialize>(
    status: u16,
    value: &T,
    etag: Option<String>,
) -> Result<Response<Body>, ApiError> {
    let body = serde_json::to_string(value).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut builder = Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json");
    if let Some(etag) = etag {
        builder = builder.header(http::header::ETAG, etag);
    }
    builder
        .body(Body::Text(body))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// 201 with the new resource, its Location and ETag.
pub fn created<T: Serialize>(
    location: &str,
    value: &T,
    etag: String,
) -> Result<Response<Body>, ApiError> {
    let mut response = json(201, value, Some(etag))?;
    let location =
        http::HeaderValue::from_str(location).map_err(|e| ApiError::Internal(e.to_string()))?;
    response
        .headers_mut()
        .insert(http::header::LOCATION, location);
    Ok(response)
}

pub fn no_content() -> Result<Response<Body>, ApiError> {
    Response::builder()
        .status(204)
        .body(Body::Empty)
        .map_err(|e| ApiError::Internal(e.to_string()))
}
