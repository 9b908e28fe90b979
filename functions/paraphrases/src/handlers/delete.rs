use fountain_events::catalog::ParaphraseRemoved;
use fountain_http::{
    Access, Body, Checks, Problem, Request, Response, if_match, no_content, optional_json_body,
    serve,
};
use fountain_scripts::access::Permission;

use super::authorized_paraphrase;
use crate::Deps;
use crate::store;
use fountain_http::DeleteRequest;

/// Removes a paraphrase; If-Match, when given, must name its current ETag.
#[utoipa::path(delete, path = "/scripts/{scriptId}/paraphrases/{paraphraseId}", tag = "paraphrases", operation_id = "delete_paraphrase",
    params(("scriptId" = String, Path), ("paraphraseId" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = Option<DeleteRequest>, description = "Optional comment"),
    responses((status = 204, description = "Removed"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_paraphrase(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: DeleteRequest = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        let paraphrase =
            authorized_paraphrase(deps, &req, &ctx.principal, Permission::Write).await?;
        if let Some(expected) = if_match(&req)? {
            expected.check(paraphrase.revision, "paraphrase")?;
        }
        let event = ParaphraseRemoved {
            paraphrase_id: paraphrase.paraphrase_id.clone(),
            script_id: paraphrase.script_id.clone(),
            target_type: paraphrase.target_type.as_str().into(),
            target_id: paraphrase.target_id.clone(),
            comment: input.comment,
        };
        let envelope = ctx.envelope(&event)?;
        store::remove(&deps.table, &ctx.principal.user_id, &paraphrase, &envelope).await?;
        no_content()
    })
    .await
}
