use fountain_http::{Access, ApiError, Body, Problem, Request, Response, json, serve};

use crate::Deps;
use crate::lifecycle::{self, CancelReason};
use crate::model::{JobStatus, JobView};

/// Cancels one of the caller's queued or running jobs; the worker stops at its next step.
/// Cancelling a cancelled job again is 200 with it unchanged; a finished one is 409.
#[utoipa::path(delete, path = "/generations/{jobId}", tag = "generation", operation_id = "cancel_generation",
    params(("jobId" = String, Path)),
    responses((status = 200, body = JobView), (status = 401, body = Problem),
        (status = 404, body = Problem, description = "No such job of the caller"),
        (status = 409, body = Problem, description = "The job has already succeeded or failed")),
    security(("bearer" = [])))]
pub async fn cancel_generation(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let job = super::own_job(deps, &req, &ctx.principal).await?;
        let job = lifecycle::cancel(
            &deps.table,
            job,
            CancelReason::Requested,
            &ctx.event_context(),
        )
        .await?;
        if matches!(job.status, JobStatus::Succeeded | JobStatus::Failed) {
            return Err(ApiError::Conflict(format!(
                "the job has already {}; there is nothing to cancel",
                job.status.as_str()
            )));
        }
        json(200, &super::view(deps, job).await?, None)
    })
    .await
}
