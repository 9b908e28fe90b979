use fountain_http::{Access, Body, Problem, Request, Response, etag, json, serve};
use fountain_scripts::access::Permission;

use super::authorized_paraphrase;
use crate::Deps;
use crate::model::Paraphrase;

/// Reads one paraphrase.
#[utoipa::path(get, path = "/scripts/{scriptId}/paraphrases/{paraphraseId}", tag = "paraphrases", operation_id = "get_paraphrase",
    params(("scriptId" = String, Path), ("paraphraseId" = String, Path)),
    responses((status = 200, body = Paraphrase), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_paraphrase(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let paraphrase =
            authorized_paraphrase(deps, &req, &ctx.principal, Permission::Read).await?;
        json(200, &paraphrase, Some(etag(paraphrase.revision)))
    })
    .await
}
