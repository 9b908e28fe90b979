//! Serves the OpenAPI 3.1 document. The document is assembled from every context's
//! `FUNCTIONS` by `fountain-registry` (which depends on all of them, so this crate does not)
//! and committed as docs/openapi.json; a test there fails when the file is stale.

use fountain_http::{Access, ApiError, Body, Request, Response, serve};

use crate::Deps;

/// The document, as generated.
pub const DOCUMENT: &str = include_str!("../../../docs/openapi.json");

/// This document; no authentication.
#[utoipa::path(get, path = "/openapi.json", tag = "operations", operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_document(_deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |_ctx, _req| async move {
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::Text(DOCUMENT.to_owned()))
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await
}
