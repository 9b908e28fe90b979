//! The `generate_stories` worker: StoryGenerationRequested arrives through its rule's SQS
//! queue; each message is one job, run step by step (see [`crate::pipeline`]).
//!
//! Deliveries and retries: the job item, not the message, says what is left to do. A job
//! that is no longer queued or running (cancelled, finished) is acknowledged and skipped,
//! so duplicate deliveries do nothing. A running job is taken over only once its worker's
//! lease has run out (the queue's visibility timeout is six times the function's timeout,
//! and the lease is the function's timeout, so a redelivery after a crash always finds it
//! expired). A retryable failure gives the job back and fails the message, which SQS
//! delivers again; on the queue's last delivery (`maxReceiveCount`) the job is marked
//! failed with the reason, and the message goes on to the dead-letter queue for an
//! operator. A permanent failure fails the job at once and acknowledges the message.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsMessage};
use fountain_events::catalog::StoryGenerationRequested;
use fountain_events::{EventContext, EventEnvelope};
use fountain_prose::Generator;
use fountain_runtime::consumer::{Batch, Delivered, Measured, delivered};
use fountain_store::StoreError;
use tracing::{Instrument, error, info, info_span, warn};

use crate::availability;
use crate::lifecycle;
use crate::model::{Job, JobStatus};
use crate::pipeline::{self, Outcome, StepError};
use crate::store;
pub use crate::worker_deps::{ATTEMPT_MARGIN, WorkerDeps};

/// Why a message was not done with.
#[derive(Debug, thiserror::Error)]
enum MessageError {
    #[error("not a generation request: {0}")]
    Poison(String),
    #[error("{0}")]
    Retry(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MessageError {
    fn is_poison(&self) -> bool {
        matches!(self, MessageError::Poison(_))
    }
}

pub async fn generate_stories<G: Generator>(
    deps: &WorkerDeps<G>,
    batch: Batch<StoryGenerationRequested>,
) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for message in batch.event.records {
        let message_id = message.message_id.clone().unwrap_or_default();
        let measured = Measured::start(&message);
        let outcome = Box::pin(handle(deps, &message)).await;
        measured.finish(outcome.is_ok());
        if let Err(failure) = outcome {
            error!(message_id, error = %failure, "generation message not done; it will be retried");
            if let (Some(redelivery), false) = (&deps.redelivery, failure.is_poison())
                && let Err(reason) = redelivery.schedule(&message, receive_count(&message)).await
            {
                warn!(
                    message_id,
                    reason, "no backoff set; the visibility timeout applies"
                );
            }
            let mut item = BatchItemFailure::default();
            item.item_identifier = message_id;
            response.batch_item_failures.push(item);
        }
    }
    response
}

/// This message's delivery number (1 for the first).
fn receive_count(message: &SqsMessage) -> u32 {
    message
        .attributes
        .get("ApproximateReceiveCount")
        .and_then(|count| count.parse().ok())
        .unwrap_or(1)
}

async fn handle<G: Generator>(
    deps: &WorkerDeps<G>,
    message: &SqsMessage,
) -> Result<(), MessageError> {
    let delivered = delivered::<StoryGenerationRequested>(message)
        .map_err(|e| MessageError::Poison(e.to_string()))?;
    let Some(Delivered {
        event: request,
        envelope,
    }) = delivered
    else {
        return Ok(());
    };
    let span = info_span!(
        "generation",
        job_id = %request.job_id,
        event_id = %envelope.id,
        correlation_id = %envelope.correlation_id,
    );
    let delivery = receive_count(message);
    run(deps, &envelope, &request, delivery)
        .instrument(span)
        .await
}

async fn run<G: Generator>(
    deps: &WorkerDeps<G>,
    envelope: &EventEnvelope,
    request: &StoryGenerationRequested,
    delivery: u32,
) -> Result<(), MessageError> {
    let Some(job) = store::load(&deps.table, &request.owner_id, &request.job_id).await? else {
        warn!("no such job; nothing to do");
        return Ok(());
    };
    let context = EventContext::caused_by(envelope);
    // The generation context's view of the generator, set by ServiceDown / ServiceRecovered.
    let generator_down = availability::generator_down(&deps.table).await?;
    if generator_down && deps.backup.is_none() && job.status != JobStatus::Waiting {
        if availability::hold(&deps.table, &job, None).await? {
            info!("the generator is down: job held");
        }
        return Ok(());
    }
    let attempt = pipeline::run(deps, job.clone(), &context, generator_down);
    let outcome = match tokio::time::timeout(deps.attempt_budget, attempt).await {
        Ok(outcome) => outcome,
        Err(_) => out_of_time(deps, &job).await,
    };
    match outcome {
        Ok(Outcome::Completed) => {
            info!("job completed");
            Ok(())
        }
        Ok(Outcome::Held) => {
            info!("the generator went down: job held until it is up");
            Ok(())
        }
        Ok(Outcome::Skipped(why)) => {
            info!(why, "job skipped");
            Ok(())
        }
        Err(StepError::Permanent(reason)) => {
            lifecycle::fail(&deps.table, &job, reason.clone(), &context).await?;
            info!(reason, "job failed for good");
            Ok(())
        }
        Err(StepError::Busy) => Err(MessageError::Retry(
            "another delivery holds the job's lease".into(),
        )),
        Err(StepError::Retryable { job: held, reason }) => {
            if give_up(deps, &held, delivery, &reason, &context).await? {
                return Err(MessageError::Retry(reason));
            }
            pipeline::give_back(&deps.table, *held, &reason).await?;
            Err(MessageError::Retry(reason))
        }
        Err(StepError::Store(error)) => {
            let reason = format!("storage failed: {error}");
            give_up(deps, &job, delivery, &reason, &context).await?;
            Err(MessageError::Retry(reason))
        }
    }
}

/// An attempt stopped at its budget, like a crash but before Lambda's timeout: the job (still
/// running under this attempt's lease) is given back, or failed on the last delivery.
async fn out_of_time<G>(deps: &WorkerDeps<G>, job: &Job) -> Result<Outcome, StepError> {
    let reason = format!(
        "an attempt ran out of time ({} s)",
        deps.attempt_budget.as_secs()
    );
    match store::load(&deps.table, &job.owner_id, &job.job_id).await? {
        Some(current) if current.status == JobStatus::Running => Err(StepError::Retryable {
            job: Box::new(current),
            reason,
        }),
        _ => Ok(Outcome::Skipped(
            "the job finished or was cancelled meanwhile",
        )),
    }
}

/// On the queue's last delivery, fails the job with `reason` (the message still fails, so
/// it goes on to the dead-letter queue): `true` when this was the last delivery.
async fn give_up<G>(
    deps: &WorkerDeps<G>,
    job: &Job,
    delivery: u32,
    reason: &str,
    context: &EventContext,
) -> Result<bool, StoreError> {
    if delivery < deps.max_receive_count {
        return Ok(false);
    }
    // The job and its event carry the attempt count; the reason is the last error.
    lifecycle::fail(&deps.table, job, reason.to_owned(), context).await?;
    Ok(true)
}
