use chrono::Utc;
use fountain_events::catalog::ParaphraseUpdated;
use fountain_http::{
    Access, Body, Problem, Request, Response, etag, json, json_body, require_if_match, serve,
};
use fountain_scripts::access::Permission;

use super::authorized_paraphrase;
use crate::Deps;
use crate::model::{Paraphrase, UpdateParaphrase};
use crate::store;

/// Changes a paraphrase's text or commentary (not its target); needs If-Match with its ETag.
#[utoipa::path(patch, path = "/scripts/{scriptId}/paraphrases/{paraphraseId}", tag = "paraphrases", operation_id = "update_paraphrase",
    params(("scriptId" = String, Path), ("paraphraseId" = String, Path), ("If-Match" = String, Header)),
    request_body = UpdateParaphrase,
    responses((status = 200, body = Paraphrase), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_paraphrase(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: UpdateParaphrase = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        let if_match = require_if_match(&req)?;
        let before = authorized_paraphrase(deps, &req, &ctx.principal, Permission::Write).await?;
        if_match.check(before.revision, "paraphrase")?;
        let after = input.apply(&before, Utc::now());
        let event = ParaphraseUpdated {
            paraphrase_id: after.paraphrase_id.clone(),
            script_id: after.script_id.clone(),
            target_type: after.target_type.as_str().into(),
            target_id: after.target_id.clone(),
            text: after.text.clone(),
            commentary: after.commentary.clone(),
            revision: after.revision,
            comment: after.comment.clone(),
        };
        let envelope = ctx.envelope(&event)?;
        store::replace(
            &deps.table,
            &ctx.principal.user_id,
            &before,
            &after,
            &envelope,
        )
        .await?;
        json(200, &after, Some(etag(after.revision)))
    })
    .await
}
