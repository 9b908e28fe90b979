use aws_config::SdkConfig;
use chrono::Duration;
use fountain_auth::SigningKeySet;
use fountain_http::DEFAULT_MAX_BODY_BYTES;
use fountain_runtime::settings::Settings;
use fountain_runtime::{ConfigError, Env};
use fountain_store::Table;
use jsonwebtoken::jwk::JwkSet;

use crate::key_store::{SecretCache, published_keys, signing_keys};

/// What the account and token functions need, built once per process.
#[derive(Debug, Clone)]
pub struct IdentityDeps {
    pub table: Table,
    /// The private key set (`SIGNING_KEYS_SECRET`): only the functions that issue tokens
    /// (login, refresh) are given it and may read it.
    pub signing: Option<SecretCache<SigningKeySet>>,
    /// The public key set as published (`VERIFICATION_KEYS_SECRET`), for the JWKS route.
    pub published: Option<SecretCache<JwkSet>>,
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

impl IdentityDeps {
    pub fn load(env: &Env, sdk: &SdkConfig) -> Result<Self, ConfigError> {
        let table = Table::new(
            aws_sdk_dynamodb::Client::new(sdk),
            env.required("TABLE_NAME")?,
        );
        let secrets = aws_sdk_secretsmanager::Client::new(sdk);
        Ok(Self {
            settings: Settings::new(table.clone()),
            table,
            signing: env
                .optional("SIGNING_KEYS_SECRET")
                .map(|id| SecretCache::new(secrets.clone(), id.to_owned(), env, signing_keys))
                .transpose()?,
            published: env
                .optional("VERIFICATION_KEYS_SECRET")
                .map(|id| SecretCache::new(secrets.clone(), id.to_owned(), env, published_keys))
                .transpose()?,
            max_body_bytes: env.parse_or("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)?,
            access_lifetime: Duration::minutes(env.parse_or("ACCESS_TOKEN_MINUTES", 15)?),
            refresh_lifetime: Duration::days(env.parse_or("REFRESH_TOKEN_DAYS", 30)?),
            first_admin_email: env.optional("FIRST_ADMIN_EMAIL").map(str::to_owned),
        })
    }
}
