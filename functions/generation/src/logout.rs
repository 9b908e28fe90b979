//! The `cancel_generations_on_logout` consumer (use case 4): a user's logout cancels every
//! generation job of theirs that is still queued or running; the worker stops at its next
//! step.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use chrono::Duration;
use fountain_events::catalog::UserLoggedOut;
use fountain_events::{EventContext, EventEnvelope};
use fountain_runtime::consumer::{ConsumerDeps, process_batch};
use fountain_runtime::{ConfigError, Env};
use fountain_store::StoreError;
use tracing::info;

use crate::lifecycle::{self, CancelReason};
use crate::store;

/// The consumer's table and its event claims.
pub type LogoutDeps = ConsumerDeps;

/// `LogoutDeps` from the environment.
pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<LogoutDeps, ConfigError> {
    ConsumerDeps::load(
        env,
        sdk,
        "cancel_generations_on_logout",
        Duration::minutes(5),
    )
}

pub async fn cancel_generations_on_logout(deps: &LogoutDeps, event: SqsEvent) -> SqsBatchResponse {
    process_batch(event, &deps.idempotency, |envelope| {
        on_event(deps, envelope)
    })
    .await
}

async fn on_event(deps: &LogoutDeps, envelope: EventEnvelope) -> Result<(), StoreError> {
    if envelope.event_type != "UserLoggedOut" {
        return Ok(());
    }
    let logout: UserLoggedOut = envelope
        .data_as()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let context = EventContext::caused_by(&envelope);
    let jobs = store::active_jobs(&deps.table, &logout.user_id).await?;
    let count = jobs.len();
    for job in jobs {
        lifecycle::cancel(&deps.table, job, CancelReason::Logout, &context).await?;
    }
    info!(
        user_id = logout.user_id,
        cancelled = count,
        "generation jobs cancelled on logout"
    );
    Ok(())
}
