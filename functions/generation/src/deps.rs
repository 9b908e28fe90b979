use aws_config::SdkConfig;
use fountain_http::TableDeps;
use fountain_runtime::settings::Settings;
use fountain_runtime::{ConfigError, Env};
use fountain_store::Table;

use crate::outputs::Outputs;

/// What the jobs API needs: the table, the runtime settings (quotas), the outputs bucket
/// (links) and which generator new jobs get (`GENERATOR`, `offline` by default).
#[derive(Debug, Clone)]
pub struct Deps {
    pub table: Table,
    pub settings: Settings,
    pub outputs: Outputs,
    pub generator: String,
    /// Whether a backup generator takes over while the generator is down
    /// (`GENERATOR_BACKUP_URL`): then requests are still accepted.
    pub backup_configured: bool,
    pub max_body_bytes: usize,
}

impl Deps {
    pub fn load(env: &Env, sdk: &SdkConfig) -> Result<Self, ConfigError> {
        let TableDeps {
            table,
            max_body_bytes,
        } = TableDeps::load(env, sdk)?;
        Ok(Self {
            settings: Settings::new(table.clone()),
            table,
            outputs: Outputs::new(sdk, env.required("OUTPUT_BUCKET")?),
            generator: env.optional("GENERATOR").unwrap_or("offline").to_owned(),
            backup_configured: env.optional("GENERATOR_BACKUP_URL").is_some(),
            max_body_bytes,
        })
    }
}
