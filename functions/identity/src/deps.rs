use aws_config::SdkConfig;
use chrono::Duration;
use fountain_auth::TokenKeys;
use fountain_http::DEFAULT_MAX_BODY_BYTES;
use fountain_runtime::settings::Settings;
use fountain_runtime::{ConfigError, Env};
use fountain_store::Table;

/// What the account and token functions need, built once per process.
#[derive(Debug, Clone)]
pub struct IdentityDeps {
    pub table: Table,
    pub keys: TokenKeys,
    pub max_body_bytes: usize,
    /// Lifetime of access tokens (`ACCESS_TOKEN_MINUTES`, default 15).
    pub access_lifetime: Duration,
    /// Lifetime of refresh tokens (`REFRESH_TOKEN_DAYS`, default 30).
    pub refresh_lifetime: Duration,
    /// Runtime settings (MAX_LOGIN_FAILURES).
    pub settings: Settings,
    /// `FIRST_ADMIN_EMAIL`: the account that becomes the first administrator when it
    /// verifies its address (once per deployment).
    pub first_admin_email: Option<String>,
}

/// The signing keys from `JWT_SECRET`, refused when weak.
pub fn token_keys(env: &Env) -> Result<TokenKeys, ConfigError> {
    let secret = env.required("JWT_SECRET")?;
    TokenKeys::new(secret.as_bytes()).map_err(|e| ConfigError::Invalid {
        name: "JWT_SECRET".into(),
        reason: e.to_string(),
    })
}

impl IdentityDeps {
    pub fn load(env: &Env, sdk: &SdkConfig) -> Result<Self, ConfigError> {
        let table = Table::new(
            aws_sdk_dynamodb::Client::new(sdk),
            env.required("TABLE_NAME")?,
        );
        Ok(Self {
            settings: Settings::new(table.clone()),
            table,
            keys: token_keys(env)?,
            max_body_bytes: env.parse_or("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)?,
            access_lifetime: Duration::minutes(env.parse_or("ACCESS_TOKEN_MINUTES", 15)?),
            refresh_lifetime: Duration::days(env.parse_or("REFRESH_TOKEN_DAYS", 30)?),
            first_admin_email: env.optional("FIRST_ADMIN_EMAIL").map(str::to_owned),
        })
    }
}
