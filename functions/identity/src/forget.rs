//! The UserDeleted consumer `purge_user` (decision 50): removes what the deleted account left
//! in the table: its partition (working sessions, notifications, generation jobs, counters)
//! and its credentials partition (token families), the context entries of its sessions, its refresh tokens and tokens sent
//! by email (found through their sparse `gsi1` entries) and its rate counters. The revocation
//! bound stays until its own expiry, so tokens issued before the deletion stay refused.
//! Idempotent: a second delivery finds less to delete.

use std::time::Duration as StdDuration;

use chrono::Duration;
use fountain_events::catalog::UserDeleted;
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use fountain_store::{Retry, StoreError, Table, keys};
use tracing::info;

const RETRY: Retry = Retry {
    attempts: 5,
    first_pause: StdDuration::from_millis(50),
};

/// The consumer's table and its event claims.
pub type PurgeUserDeps = ConsumerDeps;

/// `PurgeUserDeps` from the environment.
pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<PurgeUserDeps, ConfigError> {
    ConsumerDeps::load(env, sdk, "purge_user", Duration::minutes(5))
}

pub async fn purge_user(
    deps: &PurgeUserDeps,
    delivered: Delivered<UserDeleted>,
) -> Result<(), StoreError> {
    let user_id = &delivered.event.user_id;
    let table = &deps.table;
    let partition = keys::user(user_id);
    // Context entries first: their partitions are named by the sessions listed in the
    // user's partition, which a redelivery could not list again once it is gone.
    let sessions = table
        .query_all(table.query_prefix(&partition, keys::SESSION))
        .await?;
    let mut removed = 0;
    for session in &sessions {
        if let Some(session_id) = session
            .get("sk")
            .and_then(|v| v.as_s().ok())
            .and_then(|sk| sk.strip_prefix(keys::SESSION))
        {
            removed += table
                .delete_partition(&keys::session(session_id), &[], RETRY)
                .await?;
        }
    }
    removed += delete_tokens(table, user_id).await?;
    removed += table
        .delete_partition(&keys::rate(user_id), &[], RETRY)
        .await?;
    removed += table
        .delete_partition(&keys::credential(user_id), &[keys::REVOCATION_SK], RETRY)
        .await?;
    removed += table.delete_partition(&partition, &[], RETRY).await?;
    info!(user_id, removed, "deleted account purged");
    Ok(())
}

/// Deletes the user's refresh tokens and tokens sent by email; returns how many.
async fn delete_tokens(table: &Table, user_id: &str) -> Result<usize, StoreError> {
    let query = table
        .gsi1_query(&keys::tokens_of(user_id))
        .projection_expression("pk, sk");
    let keys = table.query_all(query).await?;
    table.delete_keys(&keys, RETRY).await?;
    Ok(keys.len())
}
