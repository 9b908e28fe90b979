use fountain_events::catalog::ScriptDeleted;
use fountain_http::{
    Access, ApiError, Body, Checks, Problem, Request, Response, if_match, no_content,
    optional_json_body, path_param, serve,
};

use crate::Deps;
use crate::access::{ACCESS_LOST, Permission, authorize};
use crate::store::{self, SCRIPT_CHANGED};
use fountain_http::DeleteRequest;

/// Deletes a script. Its characters (and everything else it owns) become unreachable at
/// once and are purged by the ScriptDeleted consumer.
#[utoipa::path(delete, path = "/scripts/{scriptId}", tag = "scripts", operation_id = "delete_script",
    params(("scriptId" = String, Path), ("If-Match" = Option<String>, Header, description = "When given, the delete only happens at that revision")),
    request_body(content = Option<DeleteRequest>, description = "Optional comment"),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_script(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let input: DeleteRequest = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        let script = authorize(&deps.table, &script_id, &ctx.principal, Permission::Own)
            .await?
            .script;
        if let Some(expected) = if_match(&req)? {
            expected.check(script.revision, "script")?;
        }
        let event = ScriptDeleted {
            script_id: script.script_id.clone(),
            revision: script.revision,
            comment: input.comment,
        };
        let envelope = ctx.envelope(&event)?;
        match store::remove(&deps.table, &script, &ctx.principal.user_id, &envelope).await {
            // The caller lost their role meanwhile.
            Err(e) if e.refused(ACCESS_LOST) => Err(ApiError::NotFound("script")),
            Err(e) if e.refused(SCRIPT_CHANGED) => Err(ApiError::PreconditionFailed(
                "the script changed while it was being deleted".into(),
            )),
            other => other.map_err(ApiError::from),
        }?;
        no_content()
    })
    .await
}
