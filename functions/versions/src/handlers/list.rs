use fountain_http::{
    Access, Body, Problem, Request, Response, TableDeps, json, page_limit, path_param, query_param,
    serve,
};
use fountain_scripts::access::{Permission, authorize};

use crate::model::VersionPage;
use crate::store;

/// Lists a script's versions, newest first.
#[utoipa::path(get, path = "/scripts/{scriptId}/versions", tag = "versions", operation_id = "list_versions",
    params(("scriptId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = VersionPage), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_versions(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let limit = page_limit(&req)?;
        let cursor = query_param(&req, "cursor");
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        let page = store::list(&deps.table, &script_id, limit, cursor.as_deref()).await?;
        json(
            200,
            &VersionPage {
                items: page.items,
                next_cursor: page.next_cursor,
            },
            None,
        )
    })
    .await
}
