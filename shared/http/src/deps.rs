use aws_config::SdkConfig;
use fountain_runtime::{ConfigError, Env};
use fountain_store::Table;

use crate::request::DEFAULT_MAX_BODY_BYTES;

/// What an HTTP function over the application table needs, built once per process:
/// `TABLE_NAME` and, optionally, `MAX_BODY_BYTES`.
#[derive(Debug, Clone)]
pub struct TableDeps {
    pub table: Table,
    pub max_body_bytes: usize,
}

impl TableDeps {
    pub fn load(env: &Env, sdk: &SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            table: Table::new(
                aws_sdk_dynamodb::Client::new(sdk),
                env.required("TABLE_NAME")?,
            ),
            max_body_bytes: env.parse_or("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)?,
        })
    }
}
