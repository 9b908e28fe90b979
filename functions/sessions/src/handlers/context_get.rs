use fountain_http::{Access, Body, Problem, Request, Response, etag, json, serve};

use super::own_entry;
use crate::Deps;
use crate::model::ContextEntry;

/// Reads one context entry of one of the caller's sessions.
#[utoipa::path(get, path = "/sessions/{sessionId}/context/{entryId}", tag = "sessions", operation_id = "get_context_entry",
    params(("sessionId" = String, Path), ("entryId" = String, Path)),
    responses((status = 200, body = ContextEntry), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_context_entry(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let (_, entry) = own_entry(deps, &req, &ctx.principal).await?;
        json(200, &entry, Some(etag(entry.revision)))
    })
    .await
}
