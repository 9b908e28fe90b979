use fountain_events::catalog::ContextUpdated;
use fountain_http::{
    Access, Body, Checks, Problem, Request, Response, if_match, no_content, optional_json_body,
    serve,
};

use super::{own_entry, still_active};
use crate::Deps;
use crate::store;
use fountain_http::DeleteRequest;

/// Removes a context entry of an active session; If-Match, when given, must name its
/// current ETag.
#[utoipa::path(delete, path = "/sessions/{sessionId}/context/{entryId}", tag = "sessions", operation_id = "delete_context_entry",
    params(("sessionId" = String, Path), ("entryId" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = Option<DeleteRequest>, description = "Optional comment"),
    responses((status = 204, description = "Removed"), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "The session ended"), (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_context_entry(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: DeleteRequest = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        let (session, entry) = own_entry(deps, &req, &ctx.principal).await?;
        still_active(&session)?;
        if let Some(expected) = if_match(&req)? {
            expected.check(entry.revision, "context entry")?;
        }
        let event = ContextUpdated {
            session_id: entry.session_id.clone(),
            entry_id: entry.entry_id.clone(),
            script_id: session.script_id.clone(),
            character_id: entry.character_id.clone(),
            operation: "removed".into(),
            key: entry.key.clone(),
            previous_key: None,
            value: None,
            revision: entry.revision,
            comment: input.comment,
        };
        let envelope = ctx.envelope(&event)?;
        store::remove_entry(&deps.table, &session, &entry, &envelope).await?;
        no_content()
    })
    .await
}
