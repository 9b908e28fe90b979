use chrono::Utc;
use fountain_events::catalog::CharacterUpdated;
use fountain_http::{
    Access, Body, Problem, Request, Response, etag, json, json_body, require_if_match, serve,
};

use fountain_scripts::access::Permission;

use super::authorized_character;
use crate::Deps;
use crate::model::{Character, UpdateCharacter};
use crate::store;

/// Renames a character or changes its description; needs If-Match with its ETag.
#[utoipa::path(patch, path = "/scripts/{scriptId}/characters/{characterId}", tag = "characters", operation_id = "update_character",
    params(("scriptId" = String, Path), ("characterId" = String, Path), ("If-Match" = String, Header)),
    request_body = UpdateCharacter,
    responses((status = 200, body = Character), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "Name taken"),
        (status = 412, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_character(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: UpdateCharacter = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        let if_match = require_if_match(&req)?;
        let before = authorized_character(deps, &req, &ctx.principal, Permission::Write).await?;
        if_match.check(before.revision, "character")?;
        let mut after = before.clone();
        if let Some(name) = &input.name {
            after.name = name.trim().to_owned();
        }
        if let Some(description) = &input.description {
            after.description = description.clone();
        }
        after.revision += 1;
        after.updated_at = Utc::now();
        after.comment = input.comment.clone();
        let event = CharacterUpdated {
            character_id: after.character_id.clone(),
            script_id: after.script_id.clone(),
            name: after.name.clone(),
            previous_name: (after.name != before.name).then(|| before.name.clone()),
            description: after.description.clone(),
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
