use std::time::Duration;

use fountain_runtime::{ConfigError, Env};
use fountain_store::Table;

/// What a run needs and how far it goes.
#[derive(Debug, Clone)]
pub struct ReconcileDeps {
    pub table: Table,
    pub bus: aws_sdk_eventbridge::Client,
    pub bus_name: String,
    pub bounds: Bounds,
}

/// When drift counts as drift, and how much one run repairs.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// A running job is stale this long after its lease ended with no change: longer than
    /// the generation queue's visibility timeout, so any redelivery would have come.
    pub job_grace: Duration,
    /// The generation queue's `maxReceiveCount`: a stale job with this many attempts fails.
    pub max_job_attempts: u32,
    /// An outbox event still unpublished this long after it was written is re-published.
    pub outbox_after: Duration,
    /// An accept still unfinished this long after step 1 is repaired.
    pub accept_after: Duration,
    /// Repairs of each kind per run, at most.
    pub limit: i32,
    /// Pages of the table swept per run (each at most 100 items).
    pub sweep_pages: u32,
}

impl ReconcileDeps {
    /// `TABLE_NAME`, `EVENT_BUS_NAME`, and the bounds: `RECONCILE_JOB_GRACE_SECONDS`
    /// (5400), `MAX_RECEIVE_COUNT` (3), `RECONCILE_OUTBOX_AFTER_SECONDS` (900),
    /// `RECONCILE_ACCEPT_AFTER_SECONDS` (900), `RECONCILE_LIMIT` (100),
    /// `RECONCILE_SWEEP_PAGES` (10).
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        let seconds = |name, default| -> Result<Duration, ConfigError> {
            Ok(Duration::from_secs(env.parse_or(name, default)?))
        };
        Ok(Self {
            table: Table::new(
                aws_sdk_dynamodb::Client::new(sdk),
                env.required("TABLE_NAME")?,
            ),
            bus: aws_sdk_eventbridge::Client::new(sdk),
            bus_name: env.required("EVENT_BUS_NAME")?,
            bounds: Bounds {
                job_grace: seconds("RECONCILE_JOB_GRACE_SECONDS", 5_400)?,
                max_job_attempts: env.parse_or("MAX_RECEIVE_COUNT", 3)?,
                outbox_after: seconds("RECONCILE_OUTBOX_AFTER_SECONDS", 900)?,
                accept_after: seconds("RECONCILE_ACCEPT_AFTER_SECONDS", 900)?,
                limit: env.parse_or("RECONCILE_LIMIT", 100)?,
                sweep_pages: env.parse_or("RECONCILE_SWEEP_PAGES", 10)?,
            },
        })
    }
}
