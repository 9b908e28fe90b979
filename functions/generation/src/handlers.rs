//! One handler per API operation, each the whole of one Lambda function.

mod cancel;
mod create;
mod get;
mod list;

pub use cancel::*;
pub use create::*;
pub use get::*;
pub use list::*;

use fountain_http::{ApiError, Principal, Request, path_param};

use crate::Deps;
use crate::model::{Job, JobLinks, JobStatus, JobView};
use crate::store;

/// The caller's job named by the path: jobs live in their owner's partition, so anyone
/// else's id finds nothing (404, never a hint that it exists).
async fn own_job(deps: &Deps, req: &Request, principal: &Principal) -> Result<Job, ApiError> {
    let job_id = path_param(req, "jobId")?;
    store::load(&deps.table, &principal.user_id, &job_id)
        .await?
        .ok_or(ApiError::NotFound("generation job"))
}

/// A job with its links; a succeeded job's outputs get fresh presigned URLs.
async fn view(deps: &Deps, job: Job) -> Result<JobView, ApiError> {
    let outputs = if job.status == JobStatus::Succeeded {
        deps.outputs
            .links(&job)
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?
    } else {
        Vec::new()
    };
    Ok(JobView {
        links: JobLinks {
            this: job.location(),
            script: format!("/scripts/{}", job.script_id),
            outputs,
        },
        job,
    })
}
