//! What the generation context knows of its text generator: down or up, as the last
//! ServiceDown or ServiceRecovered it handled said (it never probes). The jobs API answers
//! 503 while the generator is down and no backup is configured; the worker fails over to the
//! backup or holds jobs; on ServiceRecovered the held jobs go back to the queue.

use chrono::{DateTime, Utc};
use fountain_events::catalog::{ServiceDown, ServiceRecovered};
use fountain_events::{EventContext, EventEnvelope, one_of};
use fountain_health::Dependency;
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use fountain_store::{StoreError, Table, keys, s};
use serde::{Deserialize, Serialize};
use tracing::info;

use crate::model::{Job, JobStatus};
use crate::store::{self, TransitionError};

/// The words a held job shows as its reason.
pub const WAITING_REASON: &str = "waiting for the generator";
/// How long a client is told to wait before asking again while the generator is down: the
/// health checker's interval.
pub const RETRY_AFTER_SECONDS: u64 = 60;

/// The generator's availability as this context last heard it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    pub down: bool,
    /// When the event that set it happened; an older event never overwrites a newer one.
    pub changed_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

/// Whether the generator is down, as the last health event said.
pub async fn generator_down(table: &Table) -> Result<bool, StoreError> {
    let availability: Option<Availability> = table
        .get_as(keys::GENERATOR_PK, keys::GENERATOR_AVAILABILITY_SK)
        .await?;
    Ok(availability.is_some_and(|a| a.down))
}

impl fountain_store::ItemCodec for Availability {
    fn to_item(&self) -> Result<fountain_store::Item, StoreError> {
        fountain_store::keyed_item(
            self,
            &[
                ("pk", keys::GENERATOR_PK),
                ("sk", keys::GENERATOR_AVAILABILITY_SK),
            ],
        )
    }

    fn from_item(item: fountain_store::Item) -> Result<Self, StoreError> {
        fountain_store::from_item(item)
    }
}

/// Stores `availability` unless a later event already set it; `true` when it was stored.
async fn store_availability(
    table: &Table,
    availability: &Availability,
) -> Result<bool, StoreError> {
    use fountain_store::ItemCodec;
    let written = table
        .client
        .put_item()
        .table_name(&table.name)
        .set_item(Some(availability.to_item()?))
        .condition_expression("attribute_not_exists(pk) OR changedAt < :at")
        .expression_attribute_values(":at", s(availability.changed_at.to_rfc3339()))
        .send()
        .await;
    match written.map_err(StoreError::from_sdk) {
        Ok(_) => Ok(true),
        Err(StoreError::ConditionFailed) => Ok(false),
        Err(e) => Err(e),
    }
}

one_of! {
    /// The health events the generation context follows.
    pub enum GeneratorHealth { ServiceDown, ServiceRecovered }
}

/// The consumer's table and its event claims.
pub type HealthDeps = ConsumerDeps;

pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<HealthDeps, ConfigError> {
    ConsumerDeps::load(
        env,
        sdk,
        "follow_generator_health",
        chrono::Duration::minutes(5),
    )
}

/// Follows the generator's ServiceDown and ServiceRecovered (other dependencies' events are
/// not for this context); on recovery, puts every held job back in the queue.
pub async fn follow_generator_health(
    deps: &HealthDeps,
    delivered: Delivered<GeneratorHealth>,
) -> Result<(), StoreError> {
    let generator = Dependency::Generator.name();
    let at = delivered.envelope.time;
    match delivered.event {
        GeneratorHealth::ServiceDown(down) if down.dependency == generator => {
            let availability = Availability {
                down: true,
                changed_at: at,
                last_error: Some(down.last_error),
            };
            if store_availability(&deps.table, &availability).await? {
                info!("the generator is down: new jobs wait or use the backup");
            }
        }
        GeneratorHealth::ServiceRecovered(up) if up.dependency == generator => {
            let availability = Availability {
                down: false,
                changed_at: at,
                last_error: None,
            };
            if store_availability(&deps.table, &availability).await? {
                let context = EventContext::caused_by(&delivered.envelope);
                let resumed = resume_held(&deps.table, &context).await?;
                info!(resumed, "the generator is up: held jobs resumed");
            }
        }
        _ => {}
    }
    Ok(())
}

/// Puts every held job back in the queue, each with a new StoryGenerationRequested.
pub async fn resume_held(table: &Table, context: &EventContext) -> Result<usize, StoreError> {
    let mut resumed = 0;
    for job in store::held_jobs(table).await? {
        let after = Job {
            status: JobStatus::Queued,
            reason: None,
            updated_at: Utc::now(),
            ..job
        };
        let requested = after.requested();
        let event = EventEnvelope::new(&requested, context)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        match store::resume(table, &after, &event).await {
            Ok(()) => resumed += 1,
            // Cancelled, or resumed by a duplicate delivery meanwhile.
            Err(TransitionError::Moved) => {}
            Err(TransitionError::Store(e)) => return Err(e),
        }
    }
    Ok(resumed)
}

/// Holds `job` until the generator is up: `attempt` is the attempt holding it running, or
/// `None` for a job no live attempt holds. `true` when it was held.
pub async fn hold(table: &Table, job: &Job, attempt: Option<u32>) -> Result<bool, StoreError> {
    let after = Job {
        status: JobStatus::Waiting,
        reason: Some(WAITING_REASON.to_owned()),
        lease_until: None,
        updated_at: Utc::now(),
        ..job.clone()
    };
    match store::hold(table, &after, attempt, Utc::now().timestamp_millis()).await {
        Ok(()) => Ok(true),
        Err(TransitionError::Moved) => Ok(false),
        Err(TransitionError::Store(e)) => Err(e),
    }
}
