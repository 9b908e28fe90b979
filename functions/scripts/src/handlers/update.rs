use chrono::Utc;
use fountain_events::catalog::ScriptUpdated;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, etag, json, json_body, path_param,
    require_if_match, serve,
};

use crate::Deps;
use crate::access::{ACCESS_LOST, Permission, authorize};
use crate::model::{Script, UpdateScript};
use crate::store::{self, SCRIPT_CHANGED};

/// Changes a script's title, author or description; needs If-Match with its ETag.
#[utoipa::path(patch, path = "/scripts/{scriptId}", tag = "scripts", operation_id = "update_script",
    params(("scriptId" = String, Path), ("If-Match" = String, Header, description = "ETag of the revision the change is based on")),
    request_body = UpdateScript,
    responses((status = 200, body = Script), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 412, body = Problem, description = "The script changed since that ETag"),
        (status = 415, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_script(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let input: UpdateScript = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        let if_match = require_if_match(&req)?;
        let mut script: Script =
            authorize(&deps.table, &script_id, &ctx.principal, Permission::Write)
                .await?
                .script;
        if_match.check(script.revision, "script")?;
        let based_on = script.revision;
        let changed = input.apply(&mut script);
        script.revision += 1;
        script.updated_at = Utc::now();
        script.comment = input.comment.clone();
        let event = ScriptUpdated {
            script_id: script.script_id.clone(),
            revision: script.revision,
            fields: script.fields(),
            changed,
            comment: script.comment.clone(),
        };
        let envelope = ctx.envelope(&event)?;
        match store::replace(
            &deps.table,
            &script,
            based_on,
            &ctx.principal.user_id,
            &envelope,
        )
        .await
        {
            // The caller lost their role meanwhile.
            Err(e) if e.refused(ACCESS_LOST) => Err(ApiError::NotFound("script")),
            Err(e) if e.refused(SCRIPT_CHANGED) => Err(ApiError::PreconditionFailed(
                "the script changed while this change was made".into(),
            )),
            other => other.map_err(ApiError::from),
        }?;
        json(200, &script, Some(etag(script.revision)))
    })
    .await
}
