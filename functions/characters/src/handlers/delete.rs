use fountain_events::catalog::CharacterDeleted;
use fountain_http::{
    Access, Body, Checks, Problem, Request, Response, if_match, no_content, optional_json_body,
    serve,
};

use fountain_scripts::access::Permission;

use super::authorized_character;
use crate::Deps;
use crate::store;
use fountain_http::DeleteRequest;

/// Removes a character from its script and frees its name.
#[utoipa::path(delete, path = "/scripts/{scriptId}/characters/{characterId}", tag = "characters", operation_id = "delete_character",
    params(("scriptId" = String, Path), ("characterId" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = Option<DeleteRequest>, description = "Optional comment"),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_character(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: DeleteRequest = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        let character = authorized_character(deps, &req, &ctx.principal, Permission::Write).await?;
        if let Some(expected) = if_match(&req)? {
            expected.check(character.revision, "character")?;
        }
        let event = CharacterDeleted {
            character_id: character.character_id.clone(),
            script_id: character.script_id.clone(),
            name: character.name.clone(),
            comment: input.comment,
        };
        let envelope = ctx.envelope(&event)?;
        store::remove(&deps.table, &ctx.principal.user_id, &character, &envelope).await?;
        no_content()
    })
    .await
}
