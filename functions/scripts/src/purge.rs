//! The ScriptDeleted consumer: deleting a script makes everything under it unreachable at
//! once (every read and write checks the script); this purges the leftover items afterwards,
//! in batches, idempotently.

use std::time::Duration as StdDuration;

use chrono::Duration;
use fountain_events::catalog::ScriptDeleted;
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use fountain_store::{Item, MAX_BATCH_WRITES, Retry, StoreError, Table, delete_request, s};
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
    let partition = Script::pk(script_id);
    let mut start: Option<Item> = None;
    let mut removed = 0;
    loop {
        let output = table
            .client
            .query()
            .table_name(&table.name)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(&partition))
            .projection_expression("pk, sk")
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        let keys = output.items.unwrap_or_default();
        for chunk in keys.chunks(MAX_BATCH_WRITES) {
            delete_all(table, chunk).await?;
            removed += chunk.len();
        }
        match output.last_evaluated_key {
            Some(key) => start = Some(key),
            None => return Ok(removed),
        }
    }
}

async fn delete_all(table: &Table, keys: &[Item]) -> Result<(), PurgeError> {
    let requests = keys
        .iter()
        .map(|key| delete_request(key.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(table.write_batch(requests, RETRY).await?)
}
