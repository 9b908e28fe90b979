use fountain_http::{Access, Body, Request, Response, json, serve};
use serde::Serialize;
use utoipa::ToSchema;

use crate::Deps;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

/// Liveness of the API; no authentication.
#[utoipa::path(get, path = "/health", tag = "operations", operation_id = "health",
    responses((status = 200, body = Health)))]
pub async fn health(_deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |_ctx, _req| async move {
        json(
            200,
            &Health {
                status: "ok",
                version: env!("CARGO_PKG_VERSION"),
            },
            None,
        )
    })
    .await
}
