//! The ScriptDeleted consumer: deleting a script makes everything under it unreachable at
//! once (every read and write checks the script); this purges the leftover items afterwards,
//! in batches, idempotently.

use std::time::Duration as StdDuration;

use chrono::Duration;
use fountain_events::catalog::ScriptDeleted;
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use fountain_store::{Retry, StoreError, Table};
use tracing::info;

use crate::model::Script;

const RETRY: Retry = Retry {
    attempts: 5,
    first_pause: StdDuration::from_millis(50),
};

/// The consumer's table and its event claims.
pub type PurgeDeps = ConsumerDeps;

/// `PurgeDeps` from the environment.
pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<PurgeDeps, ConfigError> {
    ConsumerDeps::load(env, sdk, "purge_script", Duration::minutes(5))
}

#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error(transparent)]
    Decode(#[from] fountain_events::DecodeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn purge_script(
    deps: &PurgeDeps,
    delivered: Delivered<ScriptDeleted>,
) -> Result<(), PurgeError> {
    let deleted = delivered.event;
    let removed = purge(&deps.table, &deleted.script_id).await?;
    info!(
        script_id = deleted.script_id,
        removed, "deleted script purged"
    );
    Ok(())
}

/// Deletes every item in the script's partition; returns how many there were.
pub async fn purge(table: &Table, script_id: &str) -> Result<usize, PurgeError> {
    Ok(table
        .delete_partition(&Script::pk(script_id), &[], RETRY)
        .await?)
}
