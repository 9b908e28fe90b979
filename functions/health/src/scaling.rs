//! Scaling on events (adaptive scaling). Each run of the health checker measures the
//! generation queue's backlog (messages waiting and in flight) and decides the worker's
//! maximum concurrency: one worker per `GENERATION_JOBS_PER_WORKER` jobs, between
//! `GENERATION_MIN_CONCURRENCY` and the `GENERATION_MAX_CONCURRENCY` ceiling, rising while a
//! backlog lasts and back to the minimum once it is gone. A change is stored with its
//! ScaleRequested in one transaction; the scaler, a consumer of ScaleRequested, applies it:
//! the event source mapping's `ScalingConfig.MaximumConcurrency` through the Lambda API (in
//! AWS, and locally against the runner, which implements that call for its pollers).

use aws_sdk_sqs::types::QueueAttributeName;
use chrono::{DateTime, Utc};
use fountain_events::catalog::ScaleRequested;
use fountain_events::{EventContext, EventEnvelope};
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::settings::{SettingKey, Settings};
use fountain_runtime::{ConfigError, Env};
use fountain_store::{
    Expression, Item, ItemCodec, Label, StoreError, Table, Transaction, from_item, keyed_item, keys,
};
use serde::{Deserialize, Serialize};
use tracing::info;

/// The scaled resource: the generation worker's event source mapping.
pub const GENERATION_WORKER: &str = "generationWorker";

const DECISION_CHANGED: Label = Label::new("the scaling decision changed meanwhile");

/// The last decision for a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaleState {
    pub resource: String,
    pub concurrency: u32,
    pub revision: u64,
    pub changed_at: DateTime<Utc>,
    /// When the current backlog began (none while there is none): its age.
    pub backlog_since: Option<DateTime<Utc>>,
}

impl ItemCodec for ScaleState {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(self, &[("pk", keys::SCALE_PK), ("sk", &self.resource)])
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// The scaling rule's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub jobs_per_worker: u32,
    pub min: u32,
    pub max: u32,
}

impl Rule {
    pub async fn from_settings(settings: &Settings) -> Result<Self, StoreError> {
        let get = |key| async move {
            Ok::<_, StoreError>(u32::try_from(settings.get(key).await?).unwrap_or(u32::MAX))
        };
        let min = get(SettingKey::GenerationMinConcurrency).await?;
        Ok(Self {
            jobs_per_worker: get(SettingKey::GenerationJobsPerWorker).await?.max(1),
            min,
            max: get(SettingKey::GenerationMaxConcurrency).await?.max(min),
        })
    }

    /// The concurrency for `backlog` jobs when it is `current` now: up with a backlog,
    /// never down while one lasts, the minimum once it is gone.
    pub fn desired(&self, current: u32, backlog: u64) -> u32 {
        if backlog == 0 {
            return self.min;
        }
        let wanted = backlog.div_ceil(u64::from(self.jobs_per_worker));
        let wanted = u32::try_from(wanted).unwrap_or(u32::MAX);
        wanted.max(current).clamp(self.min, self.max)
    }
}

/// The generation queue's backlog: messages waiting plus in flight.
pub async fn backlog(sqs: &aws_sdk_sqs::Client, queue_url: &str) -> Result<u64, String> {
    let attributes = sqs
        .get_queue_attributes()
        .queue_url(queue_url)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .map_err(|e| format!("{}", aws_sdk_sqs::Error::from(e)))?
        .attributes
        .unwrap_or_default();
    let count = |name| {
        attributes
            .get(&name)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Ok(count(QueueAttributeName::ApproximateNumberOfMessages)
        + count(QueueAttributeName::ApproximateNumberOfMessagesNotVisible))
}

/// Decides the worker's concurrency for `backlog`; stores a change with its ScaleRequested.
pub async fn decide(
    table: &Table,
    rule: Rule,
    backlog: u64,
    context: &EventContext,
) -> Result<Option<ScaleRequested>, StoreError> {
    let previous: Option<ScaleState> = table.get_as(keys::SCALE_PK, GENERATION_WORKER).await?;
    let now = Utc::now();
    // Before any decision the mapping runs at its template value; the minimum stands for it.
    let current = previous.as_ref().map_or(rule.min, |p| p.concurrency);
    let to = rule.desired(current, backlog);
    let backlog_since = match (&previous, backlog) {
        (_, 0) => None,
        (
            Some(ScaleState {
                backlog_since: Some(since),
                ..
            }),
            _,
        ) => Some(*since),
        _ => Some(now),
    };
    let revision = previous.as_ref().map_or(0, |p| p.revision) + 1;
    let next = ScaleState {
        resource: GENERATION_WORKER.to_owned(),
        concurrency: to,
        revision,
        changed_at: now,
        backlog_since,
    };
    let based_on = match &previous {
        Some(p) => Expression::revision_is(p.revision),
        None => Expression::absent(),
    };
    let unchanged = previous.as_ref().is_some_and(|p| p.concurrency == to);
    if unchanged || (previous.is_none() && to == rule.min) {
        // Only the backlog's age moves: no event.
        if previous.as_ref().map(|p| p.backlog_since) != Some(backlog_since) {
            Transaction::new()
                .put(next.to_item()?, Some(based_on.labelled(DECISION_CHANGED)))
                .commit(table)
                .await
                .or_else(ignore_race)?;
        }
        return Ok(None);
    }
    let age = backlog_since.map_or(0, |since| (now - since).num_seconds());
    let request = ScaleRequested {
        resource: GENERATION_WORKER.to_owned(),
        from: current,
        to,
        reason: if to > current {
            format!(
                "{backlog} jobs waiting or running for {age} s: one worker per {} jobs, at most {}",
                rule.jobs_per_worker, rule.max
            )
        } else {
            "the backlog is gone".to_owned()
        },
        backlog,
        revision,
    };
    let envelope =
        EventEnvelope::new(&request, context).map_err(|e| StoreError::Invalid(e.to_string()))?;
    match Transaction::new()
        .put(next.to_item()?, Some(based_on.labelled(DECISION_CHANGED)))
        .event(&envelope)?
        .commit(table)
        .await
    {
        Ok(()) => {
            info!(from = current, to, backlog, "scale requested");
            Ok(Some(request))
        }
        Err(e) => ignore_race(e).map(|()| None),
    }
}

/// Another checker decided at the same time: its decision stands.
fn ignore_race(error: StoreError) -> Result<(), StoreError> {
    match error {
        StoreError::Refused { .. } | StoreError::TransactionConflict => Ok(()),
        other => Err(other),
    }
}

/// The scaler: the Lambda API (pointed at the local runner by `LAMBDA_ENDPOINT` locally),
/// the worker's function name and the queue its mapping reads.
#[derive(Debug, Clone)]
pub struct ScalerDeps {
    pub consumer: ConsumerDeps,
    pub lambda: aws_sdk_lambda::Client,
    pub function_name: String,
    pub queue_arn: String,
}

impl fountain_runtime::consumer::Deduplication for ScalerDeps {
    fn claims(&self) -> Option<&fountain_runtime::Idempotency> {
        Some(&self.consumer.idempotency)
    }
}

impl ScalerDeps {
    /// `WORKER_FUNCTION_NAME`, `GENERATION_QUEUE_ARN`, optional `LAMBDA_ENDPOINT`.
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        let mut config = aws_sdk_lambda::config::Builder::from(sdk);
        if let Some(endpoint) = env.optional("LAMBDA_ENDPOINT") {
            config = config.endpoint_url(endpoint);
        }
        Ok(Self {
            consumer: ConsumerDeps::load(env, sdk, "scale_workers", chrono::Duration::minutes(2))?,
            lambda: aws_sdk_lambda::Client::from_conf(config.build()),
            function_name: env.required("WORKER_FUNCTION_NAME")?,
            queue_arn: env.required("GENERATION_QUEUE_ARN")?,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScaleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the Lambda API failed: {0}")]
    Lambda(String),
    #[error("no event source mapping of {function} reads {queue}")]
    NoMapping { function: String, queue: String },
}

/// Applies the latest ScaleRequested to the worker's event source mapping; an older one
/// (delivered late) is skipped.
pub async fn scale_workers(
    deps: &ScalerDeps,
    delivered: Delivered<ScaleRequested>,
) -> Result<(), ScaleError> {
    let request = delivered.event;
    let latest: Option<ScaleState> = deps
        .consumer
        .table
        .get_as(keys::SCALE_PK, &request.resource)
        .await?;
    if latest.is_some_and(|l| l.revision != request.revision) {
        info!(
            revision = request.revision,
            "a later scaling decision exists; skipped"
        );
        return Ok(());
    }
    let mappings = deps
        .lambda
        .list_event_source_mappings()
        .function_name(&deps.function_name)
        .event_source_arn(&deps.queue_arn)
        .send()
        .await
        .map_err(|e| ScaleError::Lambda(format!("{}", aws_sdk_lambda::Error::from(e))))?;
    let uuid = mappings
        .event_source_mappings()
        .iter()
        .find_map(|m| m.uuid())
        .ok_or_else(|| ScaleError::NoMapping {
            function: deps.function_name.clone(),
            queue: deps.queue_arn.clone(),
        })?
        .to_owned();
    deps.lambda
        .update_event_source_mapping()
        .uuid(&uuid)
        .scaling_config(
            aws_sdk_lambda::types::ScalingConfig::builder()
                .maximum_concurrency(i32::try_from(request.to).unwrap_or(i32::MAX))
                .build(),
        )
        .send()
        .await
        .map_err(|e| ScaleError::Lambda(format!("{}", aws_sdk_lambda::Error::from(e))))?;
    info!(
        from = request.from,
        to = request.to,
        "worker concurrency changed"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Rule = Rule {
        jobs_per_worker: 5,
        min: 2,
        max: 20,
    };

    #[test]
    fn the_concurrency_follows_the_backlog_up_and_drops_to_the_minimum_when_it_is_gone() {
        assert_eq!(RULE.desired(2, 0), 2);
        assert_eq!(RULE.desired(2, 3), 2);
        assert_eq!(RULE.desired(2, 40), 8);
        assert_eq!(RULE.desired(2, 1_000), 20, "the ceiling");
        assert_eq!(RULE.desired(8, 10), 8, "never down while a backlog lasts");
        assert_eq!(RULE.desired(8, 0), 2);
    }
}
