//! `rotate_signing_keys` (scheduled every 30 days, and run once after the first deploy):
//! one rotation of the signing keys (decision 49). The public set is written before the
//! private one, so no verifier can lack a key an issuer has; the new key signs only after
//! [`fountain_auth::keys::ACTIVATION_DELAY`] anyway.

use chrono::Utc;
use fountain_auth::keys::ACTIVATION_DELAY;
use fountain_auth::{SigningKeySet, TokenError};
use fountain_runtime::function::ScheduledEvent;
use fountain_runtime::{ConfigError, Env};
use tracing::info;

use crate::key_store::{KeyError, secret_text, signing_keys};

#[derive(Debug, Clone)]
pub struct RotationDeps {
    pub secrets: aws_sdk_secretsmanager::Client,
    /// `SIGNING_KEYS_SECRET`: the private set.
    pub signing_secret: String,
    /// `VERIFICATION_KEYS_SECRET`: the public set.
    pub verification_secret: String,
    pub in_aws: bool,
    /// `KEY_ACTIVATION_SECONDS` (default 600): how long a new key waits before it signs; more
    /// than the readers' `KEY_CACHE_SECONDS`.
    pub activation_delay: chrono::Duration,
}

impl RotationDeps {
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            secrets: aws_sdk_secretsmanager::Client::new(sdk),
            signing_secret: env.required("SIGNING_KEYS_SECRET")?,
            verification_secret: env.required("VERIFICATION_KEYS_SECRET")?,
            in_aws: env.in_aws(),
            activation_delay: chrono::Duration::seconds(
                env.parse_or("KEY_ACTIVATION_SECONDS", ACTIVATION_DELAY.num_seconds())?,
            ),
        })
    }
}

fn unreadable(e: impl std::fmt::Display) -> KeyError {
    KeyError::Unreadable(e.to_string())
}

/// Writes `keys`' public set, then the private one: no verifier can lack a key an issuer
/// has (the local runner installs its development keys the same way).
pub async fn store_key_sets(
    secrets: &aws_sdk_secretsmanager::Client,
    verification_secret: &str,
    signing_secret: &str,
    keys: &SigningKeySet,
) -> Result<(), KeyError> {
    let public = serde_json::to_string(&keys.public()?).map_err(unreadable)?;
    let private = serde_json::to_string(keys).map_err(unreadable)?;
    for (secret, value) in [(verification_secret, public), (signing_secret, private)] {
        secrets
            .put_secret_value()
            .secret_id(secret)
            .secret_string(value)
            .send()
            .await
            .map_err(|e| unreadable(aws_sdk_secretsmanager::error::DisplayErrorContext(&e)))?;
    }
    Ok(())
}

pub async fn rotate_signing_keys(
    deps: &RotationDeps,
    _event: ScheduledEvent,
) -> Result<(), KeyError> {
    let current = secret_text(&deps.secrets, &deps.signing_secret).await?;
    let mut keys = match current.as_deref() {
        Some(text) => match signing_keys(text, deps.in_aws) {
            Ok(keys) => keys,
            // A deployment still holding the local key replaces it: rotation is the way out.
            Err(TokenError::LocalKeyInAws) => SigningKeySet::default(),
            Err(e) => return Err(e.into()),
        },
        None => SigningKeySet::default(),
    };
    let added = keys.rotate(Utc::now(), deps.activation_delay)?.clone();
    store_key_sets(
        &deps.secrets,
        &deps.verification_secret,
        &deps.signing_secret,
        &keys,
    )
    .await?;
    info!(
        kid = added.kid,
        activates_at = added.activates_at,
        keys = keys.keys.len(),
        "signing keys rotated"
    );
    Ok(())
}
