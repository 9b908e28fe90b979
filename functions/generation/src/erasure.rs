//! The UserDeleted consumer `delete_user_files` (decision 50): every generated file of a
//! deleted account (`generations/<userId>/`) is deleted from the bucket. The jobs themselves
//! go with the account's partition (identity's `purge_user`); a worker still running one
//! stops at its next step, when it finds the job gone.

use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use chrono::Duration;
use fountain_events::catalog::UserDeleted;
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use tracing::info;

use crate::outputs::Outputs;

/// The consumer's claims and the bucket of generated files.
#[derive(Debug, Clone)]
pub struct ErasureDeps {
    pub consumer: ConsumerDeps,
    pub outputs: Outputs,
}

impl fountain_runtime::consumer::Deduplication for ErasureDeps {
    fn claims(&self) -> Option<&fountain_runtime::Idempotency> {
        Some(&self.consumer.idempotency)
    }
}

impl ErasureDeps {
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            consumer: ConsumerDeps::load(env, sdk, "delete_user_files", Duration::minutes(5))?,
            outputs: Outputs::new(sdk, env.required("OUTPUT_BUCKET")?),
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("deleting the files of a deleted account failed: {0}")]
pub struct ErasureError(String);

fn failed(error: impl std::fmt::Display) -> ErasureError {
    ErasureError(error.to_string())
}

pub async fn delete_user_files(
    deps: &ErasureDeps,
    delivered: Delivered<UserDeleted>,
) -> Result<(), ErasureError> {
    let user_id = &delivered.event.user_id;
    let Outputs { client, bucket } = &deps.outputs;
    let prefix = Outputs::owner_prefix(user_id);
    let mut deleted = 0;
    // Each page (at most 1,000 keys) is one DeleteObjects call; a redelivery lists what is left.
    let mut pages = client
        .list_objects_v2()
        .bucket(bucket)
        .prefix(&prefix)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let objects = page
            .map_err(failed)?
            .contents
            .unwrap_or_default()
            .into_iter()
            .filter_map(|object| object.key)
            .map(|key| ObjectIdentifier::builder().key(key).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(failed)?;
        if objects.is_empty() {
            continue;
        }
        let count = objects.len();
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(failed)?;
        let output = client
            .delete_objects()
            .bucket(bucket)
            .delete(delete)
            .send()
            .await
            .map_err(failed)?;
        if let Some(error) = output.errors.unwrap_or_default().first() {
            return Err(failed(format!(
                "{}: {}",
                error.key.as_deref().unwrap_or("?"),
                error.message.as_deref().unwrap_or("not deleted")
            )));
        }
        deleted += count;
    }
    info!(user_id, deleted, "deleted account's files removed");
    Ok(())
}
