//! The generation context's repairs, run by the scheduled reconciler. Each repair commits
//! with its Reconciled event, under a condition that makes it happen once.
//!
//! - A job still `running` long after its lease ended (its worker died on a delivery that
//!   never came back, e.g. the message was deleted by hand): queued again with a new
//!   StoryGenerationRequested while deliveries remain, else failed with the reason.
//! - A day's usage counter that disagrees with the jobs counted on that day: recounted.

use chrono::Utc;
use fountain_events::catalog::{Reconciled, StoryGenerationFailed};
use fountain_events::{DomainEvent, EventContext, EventEnvelope};
use fountain_store::{Expression, StoreError, Table, Transaction, keys, n};

use crate::model::{Job, JobStatus};
use crate::quota::usage_sk;
use crate::store::{self, TransitionError};

/// The reason a job gets when the reconciler fails it.
pub const ABANDONED_REASON: &str =
    "the worker stopped responding on the job's last attempt; start a new generation";

fn envelope<E: DomainEvent>(
    event: &E,
    context: &EventContext,
) -> Result<EventEnvelope, StoreError> {
    EventEnvelope::new(event, context).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// Repairs up to `limit` jobs that went stale more than `grace_ms` ago; a job that had
/// `max_attempts` attempts is failed, any other queued again.
pub async fn repair_stale_jobs(
    table: &Table,
    grace_ms: i64,
    max_attempts: u32,
    limit: i32,
    context: &EventContext,
) -> Result<Vec<Reconciled>, StoreError> {
    let before = Utc::now().timestamp_millis() - grace_ms;
    let mut repairs = Vec::new();
    for stale in store::stale_running(table, before, limit).await? {
        // The index may lag: decide on the job as it is now.
        let Some(job) = store::load(table, &stale.owner_id, &stale.job_id).await? else {
            continue;
        };
        if job.status != JobStatus::Running || job.stale_after_ms() >= before {
            continue;
        }
        if let Some(repair) = repair_job(table, job, before, max_attempts, context).await? {
            repairs.push(repair);
        }
    }
    Ok(repairs)
}

async fn repair_job(
    table: &Table,
    job: Job,
    stale_before: i64,
    max_attempts: u32,
    context: &EventContext,
) -> Result<Option<Reconciled>, StoreError> {
    let now = Utc::now();
    let stale_for = (now.timestamp_millis() - job.stale_after_ms()) / 1000;
    let attempt = job.attempts;
    let (after, event, action) = if attempt >= max_attempts {
        let after = Job {
            status: JobStatus::Failed,
            reason: Some(ABANDONED_REASON.to_owned()),
            finished_at: Some(now),
            lease_until: None,
            last_error: None,
            updated_at: now,
            ..job
        };
        let failed = envelope(
            &StoryGenerationFailed {
                job_id: after.job_id.clone(),
                owner_id: after.owner_id.clone(),
                script_id: after.script_id.clone(),
                reason: ABANDONED_REASON.to_owned(),
                attempts: after.attempts,
            },
            context,
        )?;
        (after, failed, "failed")
    } else {
        let after = Job {
            status: JobStatus::Queued,
            lease_until: None,
            updated_at: now,
            ..job
        };
        let requested = envelope(&after.requested(), context)?;
        (after, requested, "requeued")
    };
    let repair = Reconciled {
        kind: "generationJob".to_owned(),
        id: after.job_id.clone(),
        action: action.to_owned(),
        detail: format!(
            "running with no live worker for {stale_for} s after attempt {attempt} of {max_attempts}"
        ),
    };
    let reconciled = envelope(&repair, context)?;
    let done = match after.status {
        JobStatus::Failed => store::fail(table, &after, &[&event, &reconciled]).await,
        _ => store::requeue(table, &after, attempt, stale_before, &[&event, &reconciled]).await,
    };
    match done {
        Ok(()) => Ok(Some(repair)),
        // A worker took it, or it finished, meanwhile: nothing to repair.
        Err(TransitionError::Moved) => Ok(None),
        Err(TransitionError::Store(e)) => Err(e),
    }
}

/// Recounts `user_id`'s usage counter of `day` (stored: `stored` jobs) from the jobs.
pub async fn recount_usage(
    table: &Table,
    user_id: &str,
    day: &str,
    stored: u32,
    context: &EventContext,
) -> Result<Option<Reconciled>, StoreError> {
    let counted = store::jobs_counted_on(table, user_id, day).await?;
    if counted == stored {
        return Ok(None);
    }
    let repair = Reconciled {
        kind: "usageCount".to_owned(),
        id: format!("{user_id}/{day}"),
        action: "recounted".to_owned(),
        detail: format!("the counter said {stored} jobs, the jobs say {counted}"),
    };
    let unchanged = Expression::new("jobs = :stored")
        .value(":stored", n(stored))
        .labelled(COUNTER_MOVED);
    let update = Expression::new("SET jobs = :counted").value(":counted", n(counted));
    let committed = Transaction::new()
        .update(
            Table::key(keys::user(user_id), usage_sk(day)),
            update,
            Some(unchanged),
        )
        .event(&envelope(&repair, context)?)?
        .commit(table)
        .await;
    match committed {
        Ok(()) => Ok(Some(repair)),
        // A job was counted meanwhile: the next sweep looks again.
        Err(e) if e.refused(COUNTER_MOVED) => Ok(None),
        Err(e) => Err(e),
    }
}

const COUNTER_MOVED: fountain_store::Label =
    fountain_store::Label::new("the usage counter changed meanwhile");
