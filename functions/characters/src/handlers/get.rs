use fountain_http::{Access, Body, Problem, Request, Response, etag, json, serve};

use fountain_scripts::access::Permission;

use super::authorized_character;
use crate::Deps;
use crate::model::Character;

/// Reads one character.
#[utoipa::path(get, path = "/scripts/{scriptId}/characters/{characterId}", tag = "characters", operation_id = "get_character",
    params(("scriptId" = String, Path), ("characterId" = String, Path)),
    responses((status = 200, body = Character), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_character(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let character = authorized_character(deps, &req, &ctx.principal, Permission::Read).await?;
        json(200, &character, Some(etag(character.revision)))
    })
    .await
}
