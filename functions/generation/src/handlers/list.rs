use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, json, page_limit, path_param, query_param,
    serve,
};
use fountain_scripts::access::{Permission, authorize};

use crate::Deps;
use crate::model::JobPage;
use crate::store;

/// The caller's generation jobs, newest first.
#[utoipa::path(get, path = "/generations", tag = "generation", operation_id = "list_generations",
    params(("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = JobPage), (status = 400, body = Problem), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_generations(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        page(deps, &req, &ctx.principal.user_id, None).await
    })
    .await
}

/// The caller's generation jobs of one script they can read, newest first. A page may hold
/// fewer than `limit` jobs and still have a `nextCursor`.
#[utoipa::path(get, path = "/scripts/{scriptId}/generations", tag = "generation",
    operation_id = "list_script_generations",
    params(("scriptId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = JobPage), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_script_generations(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        page(deps, &req, &ctx.principal.user_id, Some(&script_id)).await
    })
    .await
}

async fn page(
    deps: &Deps,
    req: &Request,
    user_id: &str,
    script_id: Option<&str>,
) -> Result<Response<Body>, ApiError> {
    let limit = page_limit(req)?;
    let cursor = query_param(req, "cursor");
    let page = store::list(&deps.table, user_id, script_id, limit, cursor.as_deref()).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for job in page.items {
        items.push(super::view(deps, job).await?);
    }
    json(
        200,
        &JobPage {
            items,
            next_cursor: page.next_cursor,
        },
        None,
    )
}
