use fountain_http::{
    Access, Body, Problem, Request, Response, json, page_limit, query_param, serve,
};

use crate::Deps;
use crate::model::ScriptPage;
use crate::store;

/// Lists the scripts the caller is a member of (any role), oldest first.
#[utoipa::path(get, path = "/scripts", tag = "scripts", operation_id = "list_scripts",
    params(("limit" = Option<i32>, Query, description = "1 to 1000, default 25"),
        ("cursor" = Option<String>, Query, description = "nextCursor of the previous page")),
    responses((status = 200, body = ScriptPage), (status = 400, body = Problem), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_scripts(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let limit = page_limit(&req)?;
        let cursor = query_param(&req, "cursor");
        let page = store::list_for_member(
            &deps.table,
            &ctx.principal.user_id,
            limit,
            cursor.as_deref(),
        )
        .await?;
        json(
            200,
            &ScriptPage {
                items: page.items,
                next_cursor: page.next_cursor,
            },
            None,
        )
    })
    .await
}
