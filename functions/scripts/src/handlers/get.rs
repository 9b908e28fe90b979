use fountain_http::{Access, Body, Problem, Request, Response, etag, json, path_param, serve};

use crate::Deps;
use crate::access::{Permission, authorize};
use crate::model::Script;

/// Reads one of the caller's scripts.
#[utoipa::path(get, path = "/scripts/{scriptId}", tag = "scripts", operation_id = "get_script",
    params(("scriptId" = String, Path)),
    responses((status = 200, body = Script, description = "The script; ETag set"),
        (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_script(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let script = authorize(&deps.table, &script_id, &ctx.principal, Permission::Read)
            .await?
            .script;
        json(200, &script, Some(etag(script.revision)))
    })
    .await
}
