//! The generation context's reaction to ScriptCreated (the script-created chain): when the
//! creator asked for it (`generate: true`), a first generation job is queued, as `POST
//! .../generations` would queue it, under the request's correlation id and against the
//! owner's daily quota (past it, UsageLimitReached as for a request). The job's
//! idempotency key is derived from the script, so a redelivery finds the job made.

use chrono::{Duration, Utc};
use fountain_events::catalog::{ScriptCreated, UsageLimitReached};
use fountain_events::{EventContext, EventEnvelope};
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::settings::Settings;
use fountain_runtime::{ConfigError, Env};
use fountain_store::StoreError;
use sha2::{Digest, Sha256};
use tracing::info;

use crate::model::{Job, NewJob, hex};
use crate::quota::{self, Plan};
use crate::store::{self, CreateError, IdempotencyKey};
use fountain_scripts::caps::Cap;

#[derive(Debug, Clone)]
pub struct FirstGenerationDeps {
    pub consumer: ConsumerDeps,
    pub settings: Settings,
    /// `GENERATOR`: which generator new jobs get.
    pub generator: String,
}

impl fountain_runtime::consumer::Deduplication for FirstGenerationDeps {
    fn claims(&self) -> Option<&fountain_runtime::Idempotency> {
        Some(&self.consumer.idempotency)
    }
}

impl FirstGenerationDeps {
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        let consumer =
            ConsumerDeps::load(env, sdk, "start_first_generation", Duration::minutes(5))?;
        Ok(Self {
            settings: Settings::new(consumer.table.clone()),
            consumer,
            generator: env.optional("GENERATOR").unwrap_or("offline").to_owned(),
        })
    }
}

fn envelope<E: fountain_events::DomainEvent>(
    event: &E,
    context: &EventContext,
) -> Result<EventEnvelope, StoreError> {
    EventEnvelope::new(event, context).map_err(|e| StoreError::Invalid(e.to_string()))
}

pub async fn start_first_generation(
    deps: &FirstGenerationDeps,
    delivered: Delivered<ScriptCreated>,
) -> Result<(), StoreError> {
    let script = delivered.event;
    if !script.generate {
        return Ok(());
    }
    let table = &deps.consumer.table;
    let context = EventContext::caused_by(&delivered.envelope);
    let now = Utc::now();
    let plan = Plan::of(table, &script.owner_id).await?;
    let budget = plan.daily_budget(&deps.settings).await?;
    let job = Job::queued(
        NewJob {
            owner_id: script.owner_id.clone(),
            script_id: script.script_id.clone(),
            session_id: None,
            generator: deps.generator.clone(),
            plan: plan.as_str().to_owned(),
            weight: Cap::Elements.count(table, &script.script_id).await?,
            comment: Some("first generation, asked for at the script's creation".to_owned()),
        },
        now,
    );
    let key = IdempotencyKey {
        key_hash: hex(&Sha256::digest(
            format!("script-created:{}", script.script_id).as_bytes(),
        )),
        fingerprint: "script-created".to_owned(),
    };
    let requested = envelope(&job.requested(), &context)?;
    match store::create(table, &job, Some(&key), budget, now, &requested).await {
        Ok(()) => info!(job_id = job.job_id, "first generation queued"),
        Err(CreateError::KeyUsed { job_id, .. }) => {
            info!(
                job_id,
                "the first generation was queued by an earlier delivery"
            )
        }
        Err(CreateError::QuotaExhausted) => {
            let day = quota::day_of(now);
            let limit_reached = envelope(
                &UsageLimitReached {
                    user_id: script.owner_id.clone(),
                    day: day.clone(),
                    plan: plan.as_str().to_owned(),
                    limit: budget.jobs,
                    resets_at: quota::resets_at(now).to_rfc3339(),
                },
                &context,
            )?;
            store::mark_limit_reached(table, &script.owner_id, &day, &limit_reached).await?;
            info!("no first generation: the daily quota is used up");
        }
        Err(CreateError::Store(e)) => return Err(e),
    }
    Ok(())
}
