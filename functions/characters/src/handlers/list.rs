use fountain_http::{
    Access, Body, Problem, Request, Response, json, page_limit, path_param, query_param, serve,
};
use fountain_scripts::access::{Permission, authorize};

use crate::Deps;
use crate::model::CharacterPage;
use crate::store;

/// Lists a script's characters in creation order.
#[utoipa::path(get, path = "/scripts/{scriptId}/characters", tag = "characters", operation_id = "list_characters",
    params(("scriptId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = CharacterPage), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_characters(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let limit = page_limit(&req)?;
        let cursor = query_param(&req, "cursor");
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        let page = store::list(&deps.table, &script_id, limit, cursor.as_deref()).await?;
        json(
            200,
            &CharacterPage {
                items: page.items,
                next_cursor: page.next_cursor,
            },
            None,
        )
    })
    .await
}
