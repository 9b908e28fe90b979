//! What the live functions hold for the life of their process.

use fountain_auth::TokenVerifier;
use fountain_identity::key_store::{SecretCache, verification_keys};
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

/// `$connect`: the table and the public key set it verifies tokens with, as the HTTP API's
/// authorizer does.
#[derive(Debug, Clone)]
pub struct ConnectDeps {
    pub table: Table,
    pub keys: SecretCache<TokenVerifier>,
}

impl ConnectDeps {
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            table: Table::new(dynamodb(sdk), env.required("TABLE_NAME")?),
            keys: SecretCache::new(
                aws_sdk_secretsmanager::Client::new(sdk),
                env.required("VERIFICATION_KEYS_SECRET")?,
                env,
                verification_keys,
            )?,
        })
    }
}
