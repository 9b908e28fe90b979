use fountain_http::{Access, Body, Problem, Request, Response, json, serve};

use crate::Deps;
use crate::model::JobView;

/// One of the caller's generation jobs: status, progress, timestamps and, once succeeded,
/// presigned links to its outputs.
#[utoipa::path(get, path = "/generations/{jobId}", tag = "generation", operation_id = "get_generation",
    params(("jobId" = String, Path)),
    responses((status = 200, body = JobView), (status = 401, body = Problem),
        (status = 404, body = Problem, description = "No such job of the caller")),
    security(("bearer" = [])))]
pub async fn get_generation(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let job = super::own_job(deps, &req, &ctx.principal).await?;
        json(200, &super::view(deps, job).await?, None)
    })
    .await
}
