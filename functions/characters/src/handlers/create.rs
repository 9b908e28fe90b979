use chrono::Utc;
use fountain_events::catalog::CharacterCreated;
use fountain_events::ids::new_id;
use fountain_http::{
    Access, Body, Problem, Request, Response, created, etag, json_body, path_param, serve,
};
use fountain_scripts::access::{Permission, authorize};

use crate::Deps;
use crate::model::{Character, CreateCharacter};
use crate::store;

/// Adds a character to a script; its name must be new to the script, ignoring case.
#[utoipa::path(post, path = "/scripts/{scriptId}/characters", tag = "characters", operation_id = "create_character",
    params(("scriptId" = String, Path)),
    request_body = CreateCharacter,
    responses((status = 201, body = Character), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "Name taken"),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_character(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let input: CreateCharacter = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Write).await?;
        let now = Utc::now();
        let character = Character {
            character_id: new_id(),
            script_id,
            name: input.name.trim().to_owned(),
            description: input.description,
            revision: 1,
            created_at: now,
            updated_at: now,
            comment: input.comment,
        };
        let event = CharacterCreated {
            character_id: character.character_id.clone(),
            script_id: character.script_id.clone(),
            name: character.name.clone(),
            description: character.description.clone(),
            revision: character.revision,
            comment: character.comment.clone(),
        };
        let envelope = ctx.envelope(&event)?;
        store::insert(&deps.table, &ctx.principal.user_id, &character, &envelope).await?;
        let location = format!(
            "/scripts/{}/characters/{}",
            character.script_id, character.character_id
        );
        created(&location, &character, etag(character.revision))
    })
    .await
}
