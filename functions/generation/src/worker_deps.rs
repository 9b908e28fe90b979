//! What the `generate_stories` worker needs, built once per process from its environment;
//! the worker ([`crate::worker`]) and the pipeline's steps ([`crate::pipeline`]) read it.

use std::time::Duration;

use fountain_runtime::settings::Settings;
use fountain_runtime::{ConfigError, Env};
use fountain_store::Table;

use crate::breaker::Breaker;
use crate::outputs::Outputs;
use crate::redelivery::Redelivery;

/// What the worker needs, built once per process.
#[derive(Debug, Clone)]
pub struct WorkerDeps<G> {
    pub table: Table,
    pub outputs: Outputs,
    pub generator: G,
    /// The generator jobs fail over to while `generator` is down (`GENERATOR_BACKUP_URL`).
    pub backup: Option<G>,
    /// Counts the generator's failures and opens on too many in a row (`None`: no breaker).
    pub breaker: Option<Breaker>,
    /// The queue's `maxReceiveCount`: the delivery on which a failing job is given up.
    pub max_receive_count: u32,
    /// How long a running job is held before another delivery may take it over: the
    /// function's timeout.
    pub lease: Duration,
    /// How long one attempt may run before it stops itself and gives the job back (or, on
    /// the last delivery, fails it): the function's timeout less a margin for that
    /// bookkeeping, so a job too slow for Lambda is failed with its reason instead of being
    /// killed with its job left running.
    pub attempt_budget: Duration,
    /// Characters of screenplay per generator call.
    pub part_budget: usize,
    /// Runtime settings (MAX_GENERATION_INPUT_CHARS).
    pub settings: Settings,
    /// Brings a failed message back after a backoff instead of the visibility timeout
    /// (`None`: SQS's own timing).
    pub redelivery: Option<Redelivery>,
}

/// The part of the function's time kept for giving a job back after an attempt ran out.
pub const ATTEMPT_MARGIN: Duration = Duration::from_secs(30);

impl WorkerDeps<fountain_prose::Provider> {
    /// `TABLE_NAME`, `OUTPUT_BUCKET`, `MAX_RECEIVE_COUNT`, `JOB_LEASE_SECONDS` and the
    /// generator's settings (`GENERATOR`, ...).
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        let prose = fountain_prose::ProseConfig::from_env(env)?;
        let lease = Duration::from_secs(env.parse_or("JOB_LEASE_SECONDS", 900)?);
        let table = Table::new(
            aws_sdk_dynamodb::Client::new(sdk),
            env.required("TABLE_NAME")?,
        );
        let backup = match &prose.backup {
            Some(config) => Some(fountain_prose::Provider::OpenAi(
                fountain_prose::OpenAiCompatible::new(config, sdk)?,
            )),
            None => None,
        };
        Ok(Self {
            settings: Settings::new(table.clone()),
            breaker: Some(Breaker::new(table.clone())),
            backup,
            table,
            outputs: Outputs::new(sdk, env.required("OUTPUT_BUCKET")?),
            generator: fountain_prose::Provider::from_config(&prose.provider, sdk)?,
            max_receive_count: env.parse_or("MAX_RECEIVE_COUNT", 3)?,
            lease,
            attempt_budget: lease
                .saturating_sub(ATTEMPT_MARGIN)
                .max(Duration::from_secs(1)),
            part_budget: prose.part_budget,
            redelivery: Some(Redelivery::new(
                sdk,
                Duration::from_secs(env.parse_or("RETRY_BACKOFF_SECONDS", 30)?),
            )),
        })
    }
}
