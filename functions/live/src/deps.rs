//! What the live functions hold for the life of their process.

use fountain_runtime::aws::dynamodb;
use fountain_runtime::consumer::Deduplication;
use fountain_runtime::{ConfigError, Env, Idempotency};
use fountain_store::Table;

use crate::push::Pusher;

/// The table and the management API: every live function but `$connect`.
#[derive(Debug, Clone)]
pub struct LiveDeps {
    pub table: Table,
    pub pusher: Pusher,
}

impl LiveDeps {
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            table: Table::new(dynamodb(sdk), env.required("TABLE_NAME")?),
            pusher: Pusher::load(env, sdk)?,
        })
    }
}

/// Consumers that push keep no claims: a message pushed twice says the same twice, and a
/// client patches its view by ids.
impl Deduplication for LiveDeps {
    fn claims(&self) -> Option<&Idempotency> {
        None
    }
}
