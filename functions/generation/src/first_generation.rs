//! The generation context's reaction to ScriptCreated (the script-created chain): when the
//! creator asked for it (`generate: true`), a first generation job is queued, as `POST
//! .../generations` would queue it, under the request's correlation id and against the
//! owner's daily quota (past it, UsageLimitReached as for a request). The job's
//! idempotency key is derived from the script, so a redelivery finds the job made.

use chrono::{Duration, Utc};
use fountain_events::catalog::{ScriptCreated, UsageLimitReached};
use fountain_events::ids::new_id;
use fountain_events::{EventContext, EventEnvelope};
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::settings::Settings;
use fountain_runtime::{ConfigError, Env};
use fountain_store::StoreError;
use sha2::{Digest, Sha256};
use tracing::info;

use crate::model::{Job, JobStatus, hex};
use crate::quota::{self, Plan};
use crate::store::{self, CreateError, IdempotencyKey};

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
    let limit = plan.daily_limit(&deps.settings).await?;
    let job = Job {
        job_id: new_id(),
        owner_id: script.owner_id.clone(),
        script_id: script.script_id.clone(),
        session_id: None,
        status: JobStatus::Queued,
        progress: 0,
        step: None,
        attempts: 0,
        generator: deps.generator.clone(),
        quota_day: quota::day_of(now),
        plan: plan.as_str().to_owned(),
        story_revision: None,
        outputs: Vec::new(),
        reason: None,
        last_error: None,
        comment: Some("first generation, asked for at the script's creation".to_owned()),
        created_at: now,
        updated_at: now,
        started_at: None,
        finished_at: None,
        lease_until: None,
    };
    let key = IdempotencyKey {
        key_hash: hex(&Sha256::digest(
            format!("script-created:{}", script.script_id).as_bytes(),
        )),
        fingerprint: "script-created".to_owned(),
    };
    let requested = envelope(&job.requested(), &context)?;
    match store::create(table, &job, Some(&key), limit, now, &requested).await {
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
                    limit,
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
