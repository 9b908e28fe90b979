//! The `cancel_generations_on_logout` consumer (use case 4): a user's logout cancels every
//! generation job of theirs that is still queued or running; the worker stops at its next
//! step.

use chrono::Duration;
use fountain_events::EventContext;
use fountain_events::catalog::UserLoggedOut;
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
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

pub async fn cancel_generations_on_logout(
    deps: &LogoutDeps,
    delivered: Delivered<UserLoggedOut>,
) -> Result<(), StoreError> {
    let logout = delivered.event;
    let context = EventContext::caused_by(&delivered.envelope);
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
