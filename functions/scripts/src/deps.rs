use aws_config::SdkConfig;
use fountain_http::DEFAULT_MAX_BODY_BYTES;
use fountain_runtime::{ConfigError, Env};
use fountain_store::Table;

/// What the scripts functions need, built once per process.
#[derive(Debug, Clone)]
pub struct Deps {
    pub table: Table,
    pub max_body_bytes: usize,
}

impl Deps {
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
