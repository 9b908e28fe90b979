//! Changes of a job's status that more than one caller makes: cancelling (the user, or their
//! logout) and failing (the worker, or its last delivery).

use chrono::Utc;
use fountain_events::catalog::{StoryGenerationCancelled, StoryGenerationFailed};
use fountain_events::{EventContext, EventEnvelope};
use fountain_store::{StoreError, Table};

use crate::model::{Job, JobStatus};
use crate::store::{self, TransitionError};

/// Why a job was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelReason {
    /// The user asked (`DELETE /generations/{jobId}`).
    Requested,
    /// The user logged out.
    Logout,
}

impl CancelReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CancelReason::Requested => "requested",
            CancelReason::Logout => "logout",
        }
    }

    fn words(self) -> &'static str {
        match self {
            CancelReason::Requested => "cancelled at your request",
            CancelReason::Logout => "cancelled because you logged out",
        }
    }
}

fn envelope<E: fountain_events::DomainEvent>(
    event: &E,
    context: &EventContext,
) -> Result<EventEnvelope, StoreError> {
    EventEnvelope::new(event, context).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// Cancels `job` if it is still queued or running, and returns the job as it is now: the
/// cancelled one, or, when it had finished meanwhile, the finished one.
pub async fn cancel(
    table: &Table,
    job: Job,
    reason: CancelReason,
    context: &EventContext,
) -> Result<Job, StoreError> {
    if !job.status.is_active() {
        return Ok(job);
    }
    let now = Utc::now();
    let event = StoryGenerationCancelled {
        job_id: job.job_id.clone(),
        owner_id: job.owner_id.clone(),
        script_id: job.script_id.clone(),
        previous_status: job.status.as_str().to_owned(),
        reason: reason.as_str().to_owned(),
    };
    let after = Job {
        status: JobStatus::Cancelled,
        reason: Some(reason.words().to_owned()),
        finished_at: Some(now),
        updated_at: now,
        ..job
    };
    match store::cancel(table, &after, &envelope(&event, context)?).await {
        Ok(()) => Ok(after),
        Err(TransitionError::Moved) => store::load(table, &after.owner_id, &after.job_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("a cancelled job vanished".into())),
        Err(TransitionError::Store(error)) => Err(error),
    }
}

/// Fails `job` for good with `reason` if it is still queued or running; `false` when it had
/// finished meanwhile.
pub async fn fail(
    table: &Table,
    job: &Job,
    reason: String,
    context: &EventContext,
) -> Result<bool, StoreError> {
    let now = Utc::now();
    let event = StoryGenerationFailed {
        job_id: job.job_id.clone(),
        owner_id: job.owner_id.clone(),
        script_id: job.script_id.clone(),
        reason: reason.clone(),
        attempts: job.attempts,
    };
    let after = Job {
        status: JobStatus::Failed,
        reason: Some(reason),
        finished_at: Some(now),
        updated_at: now,
        lease_until: None,
        last_error: None,
        ..job.clone()
    };
    match store::fail(table, &after, &[&envelope(&event, context)?]).await {
        Ok(()) => Ok(true),
        Err(TransitionError::Moved) => Ok(false),
        Err(TransitionError::Store(error)) => Err(error),
    }
}
