use chrono::Utc;
use fountain_events::catalog::ScriptCreated;
use fountain_events::ids::new_id;
use fountain_http::{Access, Body, Problem, Request, Response, created, etag, json_body, serve};

use crate::Deps;
use crate::caps::Cap;
use crate::model::{CreateScript, Script};
use crate::store;

/// Creates a script owned by the caller. With `cast`, its characters are created right
/// after (by a reaction to ScriptCreated, with the request's correlation id); with
/// `generate: true`, a first generation job is queued the same way.
#[utoipa::path(post, path = "/scripts", tag = "scripts", operation_id = "create_script",
    request_body = CreateScript,
    responses(
        (status = 201, body = Script, description = "Created; ETag and Location set"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 413, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem, description = "Invalid, or the caller owns MAX_SCRIPTS_PER_USER scripts (limit-reached)"),
    ),
    security(("bearer" = [])))]
pub async fn create_script(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: CreateScript = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        let now = Utc::now();
        let cast = input.cast();
        let generate = input.generate.unwrap_or(false);
        let script = Script {
            script_id: new_id(),
            title: input.title,
            author: input.author,
            description: input.description,
            owner_id: ctx.principal.user_id.clone(),
            revision: 1,
            created_at: now,
            updated_at: now,
            comment: input.comment,
            restore_lock: None,
        };
        let event = ScriptCreated {
            script_id: script.script_id.clone(),
            owner_id: script.owner_id.clone(),
            revision: script.revision,
            fields: script.fields(),
            comment: script.comment.clone(),
            cast,
            generate,
        };
        let envelope = ctx.envelope(&event)?;
        let max = Cap::ScriptsOwned.max(&deps.table).await?;
        store::insert(&deps.table, &script, max, &envelope)
            .await
            .map_err(Cap::ScriptsOwned.refusal(max))?;
        created(
            &format!("/scripts/{}", script.script_id),
            &script,
            etag(script.revision),
        )
    })
    .await
}
