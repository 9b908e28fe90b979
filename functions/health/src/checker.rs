//! The scheduled health checker: probes every dependency, each within a timeout, and records
//! each outcome (see [`crate::state`]), which publishes ServiceDown and ServiceRecovered on
//! the transitions. The table's own outage cannot go through the outbox (it lives in the
//! table): the checker then puts ServiceDown for the table straight onto the bus and fails
//! the run, so Lambda's `Errors` metric and its alarm see it too.

use std::future::Future;
use std::time::Duration;

use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use chrono::Utc;
use fountain_events::catalog::ServiceDown;
use fountain_events::ids::new_id;
use fountain_events::{EventContext, EventEnvelope};
use fountain_runtime::function::ScheduledEvent;
use fountain_runtime::settings::{SettingKey, Settings};
use fountain_runtime::{ConfigError, Env};
use fountain_store::{StoreError, Table, keys, s};
use tracing::{info, warn};

use crate::dependency::Dependency;
use crate::scaling;
use crate::state::{self, Observer, Thresholds};

/// The source of the bus probe's event: no rule matches it (the rules match `fountain.`).
pub const PROBE_SOURCE: &str = "fountain-probe";
pub const PROBE_DETAIL_TYPE: &str = "HealthProbe";

/// What the checker probes, built once per process.
#[derive(Debug)]
pub struct CheckerDeps {
    pub table: Table,
    pub settings: Settings,
    pub bus: aws_sdk_eventbridge::Client,
    pub bus_name: String,
    pub sqs: aws_sdk_sqs::Client,
    pub queue_urls: Vec<String>,
    /// The generation queue, whose backlog the scaling decision follows.
    pub generation_queue_url: String,
    pub s3: aws_sdk_s3::Client,
    pub bucket: String,
    pub generator: fountain_prose::Provider,
    /// How long one probe may take before it counts as failed.
    pub probe_timeout: Duration,
}

impl CheckerDeps {
    /// `TABLE_NAME`, `EVENT_BUS_NAME`, `GENERATION_QUEUE_URL`, `EVENT_STORE_QUEUE_URL`,
    /// `OUTPUT_BUCKET`, the generator's settings and `PROBE_TIMEOUT_SECONDS` (default 3).
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        let table = Table::new(
            aws_sdk_dynamodb::Client::new(sdk),
            env.required("TABLE_NAME")?,
        );
        let prose = fountain_prose::ProseConfig::from_env(env)?;
        Ok(Self {
            settings: Settings::new(table.clone()),
            table,
            bus: aws_sdk_eventbridge::Client::new(sdk),
            bus_name: env.required("EVENT_BUS_NAME")?,
            sqs: aws_sdk_sqs::Client::new(sdk),
            queue_urls: vec![
                env.required("GENERATION_QUEUE_URL")?,
                env.required("EVENT_STORE_QUEUE_URL")?,
            ],
            generation_queue_url: env.required("GENERATION_QUEUE_URL")?,
            s3: aws_sdk_s3::Client::new(sdk),
            bucket: env.required("OUTPUT_BUCKET")?,
            generator: fountain_prose::Provider::from_config(&prose.provider, sdk)?,
            probe_timeout: Duration::from_secs(env.parse_or("PROBE_TIMEOUT_SECONDS", 3)?),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("the table is unreachable: {0}")]
    TableDown(String),
    #[error("the outcomes could not be recorded: {0}")]
    Store(#[from] StoreError),
}

/// One run of the schedule: every dependency probed at once, then each outcome recorded.
pub async fn check_health(deps: &CheckerDeps, _event: ScheduledEvent) -> Result<(), CheckError> {
    let context = EventContext {
        actor: None,
        correlation_id: format!("health-{}", new_id()),
        causation_id: None,
    };
    let limit = deps.probe_timeout;
    let (table, bus, queues, outputs, generator) = tokio::join!(
        within(limit, probe_table(deps)),
        within(limit, probe_bus(deps)),
        within(limit, probe_queues(deps)),
        within(limit, probe_outputs(deps)),
        within(limit, async {
            deps.generator
                .probe(limit)
                .await
                .map_err(|e| e.reason().to_owned())
        }),
    );
    if let Err(error) = table {
        announce_table_down(deps, &error, &context).await;
        return Err(CheckError::TableDown(error));
    }
    let thresholds = thresholds(&deps.settings).await?;
    for (dependency, outcome) in [
        (Dependency::Table, Ok(())),
        (Dependency::EventBus, bus),
        (Dependency::Queues, queues),
        (Dependency::Outputs, outputs),
        (Dependency::Generator, generator),
    ] {
        if let Err(error) = &outcome {
            warn!(
                dependency = dependency.name(),
                error, "a health probe failed"
            );
        }
        let published = state::record(
            &deps.table,
            dependency,
            outcome,
            thresholds,
            Observer::HealthCheck,
            &context,
        )
        .await?;
        if let Some(event) = published {
            info!(
                dependency = dependency.name(),
                event = event.event_type,
                "health changed"
            );
        }
    }
    // The same run measures the generation backlog and decides the worker's concurrency.
    match scaling::backlog(&deps.sqs, &deps.generation_queue_url).await {
        Ok(backlog) => {
            let rule = scaling::Rule::from_settings(&deps.settings).await?;
            scaling::decide(&deps.table, rule, backlog, &context).await?;
        }
        Err(error) => warn!(
            error,
            "the generation backlog is unknown; no scaling decision"
        ),
    }
    Ok(())
}

/// The thresholds as the settings give them now.
pub async fn thresholds(settings: &Settings) -> Result<Thresholds, StoreError> {
    Ok(Thresholds {
        failures_to_down: setting(settings, SettingKey::HealthFailuresToDown).await?,
        successes_to_up: setting(settings, SettingKey::HealthSuccessesToUp).await?,
    })
}

async fn setting(settings: &Settings, key: SettingKey) -> Result<u32, StoreError> {
    Ok(u32::try_from(settings.get(key).await?).unwrap_or(u32::MAX))
}

/// `probe`'s outcome, or a failure when it takes longer than `limit`.
async fn within(
    limit: Duration,
    probe: impl Future<Output = Result<(), String>>,
) -> Result<(), String> {
    match tokio::time::timeout(limit, probe).await {
        Ok(outcome) => outcome,
        Err(_) => Err(format!("no answer within {} s", limit.as_secs_f32())),
    }
}

/// A strongly consistent read and a conditional write of the probe item.
async fn probe_table(deps: &CheckerDeps) -> Result<(), String> {
    let table = &deps.table;
    table
        .client
        .get_item()
        .table_name(&table.name)
        .set_key(Some(Table::key(keys::HEALTH_PK, keys::PROBE_SK)))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| StoreError::from_sdk(e).to_string())?;
    let now = Utc::now().to_rfc3339();
    table
        .client
        .put_item()
        .table_name(&table.name)
        .set_item(Some(Table::key(keys::HEALTH_PK, keys::PROBE_SK)))
        .item("checkedAt", s(&now))
        .condition_expression("attribute_not_exists(checkedAt) OR checkedAt <= :now")
        .expression_attribute_values(":now", s(&now))
        .send()
        .await
        .map(|_| ())
        .or_else(|e| match StoreError::from_sdk(e) {
            // A later probe wrote first: the table answered, which is all this asks.
            StoreError::ConditionFailed => Ok(()),
            other => Err(other.to_string()),
        })
}

/// A PutEvents of an event no rule matches.
async fn probe_bus(deps: &CheckerDeps) -> Result<(), String> {
    let entry = PutEventsRequestEntry::builder()
        .event_bus_name(&deps.bus_name)
        .source(PROBE_SOURCE)
        .detail_type(PROBE_DETAIL_TYPE)
        .detail("{}")
        .build();
    let output = deps
        .bus
        .put_events()
        .entries(entry)
        .send()
        .await
        .map_err(|e| format!("{}", aws_sdk_eventbridge::Error::from(e)))?;
    match output.failed_entry_count() {
        0 => Ok(()),
        _ => Err(output
            .entries()
            .iter()
            .find_map(|e| e.error_message().map(str::to_owned))
            .unwrap_or_else(|| "the bus refused the probe event".to_owned())),
    }
}

async fn probe_queues(deps: &CheckerDeps) -> Result<(), String> {
    for url in &deps.queue_urls {
        deps.sqs
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(|e| format!("{url}: {}", aws_sdk_sqs::Error::from(e)))?;
    }
    Ok(())
}

async fn probe_outputs(deps: &CheckerDeps) -> Result<(), String> {
    deps.s3
        .head_bucket()
        .bucket(&deps.bucket)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("{}", aws_sdk_s3::Error::from(e)))
}

/// ServiceDown for the table, straight onto the bus: the outbox is in the table.
async fn announce_table_down(deps: &CheckerDeps, error: &str, context: &EventContext) {
    let event = ServiceDown {
        dependency: Dependency::Table.name().to_owned(),
        since: Utc::now(),
        last_error: error.to_owned(),
        detected_by: Observer::HealthCheck.name().to_owned(),
    };
    let sent = match EventEnvelope::new(&event, context).and_then(|e| Ok((e.to_json()?, e))) {
        Ok((json, envelope)) => deps
            .bus
            .put_events()
            .entries(
                PutEventsRequestEntry::builder()
                    .event_bus_name(&deps.bus_name)
                    .source(&envelope.source)
                    .detail_type(&envelope.event_type)
                    .detail(json)
                    .build(),
            )
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{}", aws_sdk_eventbridge::Error::from(e))),
        Err(e) => Err(e.to_string()),
    };
    match sent {
        Ok(()) => warn!(error, "the table is down; ServiceDown published to the bus"),
        Err(e) => warn!(
            error,
            bus_error = e,
            "the table is down and the bus refused ServiceDown"
        ),
    }
}
