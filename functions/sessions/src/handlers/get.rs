use fountain_http::{Access, Body, Problem, Request, Response, etag, json, serve};

use super::own_session;
use crate::Deps;
use crate::model::Session;

/// Reads one of the caller's sessions; anyone else's is 404.
#[utoipa::path(get, path = "/sessions/{sessionId}", tag = "sessions", operation_id = "get_session",
    params(("sessionId" = String, Path)),
    responses((status = 200, body = Session), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_session(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let session = own_session(deps, &req, &ctx.principal).await?;
        json(200, &session, Some(etag(session.revision)))
    })
    .await
}
