use chrono::Utc;
use fountain_events::catalog::ParaphraseAdded;
use fountain_events::ids::new_id;
use fountain_http::{
    Access, Body, Problem, Request, Response, created, etag, json_body, path_param, serve,
};
use fountain_scripts::access::{Permission, authorize};

use crate::Deps;
use crate::model::{CreateParaphrase, Paraphrase};
use crate::store::{self, unknown_target};

/// Adds a paraphrase of a character, section or element of the script, which must exist
/// (an element's section too) when the paraphrase is written.
#[utoipa::path(post, path = "/scripts/{scriptId}/paraphrases", tag = "paraphrases", operation_id = "create_paraphrase",
    params(("scriptId" = String, Path)),
    request_body = CreateParaphrase,
    responses((status = 201, body = Paraphrase), (status = 400, body = Problem, description = "Unknown target"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_paraphrase(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let input: CreateParaphrase = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Write).await?;
        let target = store::find_target(&deps.table, &script_id, &input.target)
            .await?
            .ok_or_else(|| unknown_target(&input.target))?;
        let now = Utc::now();
        let paraphrase = Paraphrase {
            paraphrase_id: new_id(),
            script_id,
            target_type: input.target.target_type,
            target_id: input.target.id,
            text: input.text.trim().to_owned(),
            commentary: input.commentary,
            revision: 1,
            created_at: now,
            updated_at: now,
            comment: input.comment,
        };
        let event = ParaphraseAdded {
            paraphrase_id: paraphrase.paraphrase_id.clone(),
            script_id: paraphrase.script_id.clone(),
            target_type: paraphrase.target_type.as_str().into(),
            target_id: paraphrase.target_id.clone(),
            text: paraphrase.text.clone(),
            commentary: paraphrase.commentary.clone(),
            revision: paraphrase.revision,
            comment: paraphrase.comment.clone(),
        };
        let envelope = ctx.envelope(&event)?;
        store::insert(
            &deps.table,
            &ctx.principal.user_id,
            &paraphrase,
            &target,
            &envelope,
        )
        .await?;
        let location = format!(
            "/scripts/{}/paraphrases/{}",
            paraphrase.script_id, paraphrase.paraphrase_id
        );
        created(&location, &paraphrase, etag(paraphrase.revision))
    })
    .await
}
