//! The key sets (decision 49), read from Secrets Manager and kept [`CACHE_TTL`] per function
//! instance. A failed read keeps serving the set read before; with none, the caller is told
//! the keys are unavailable (the authorizer answers 503, an issuer 503).

use std::sync::Arc;
use std::time::Instant;

use fountain_auth::keys::{CACHE_TTL, LOCAL_KEY_ID};
use fountain_auth::{SigningKeySet, TokenError, TokenVerifier};
use fountain_runtime::{ConfigError, Env};
use jsonwebtoken::jwk::JwkSet;
use tokio::sync::RwLock;
use tracing::warn;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the key secret could not be read: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Keys(#[from] TokenError),
}

/// How a secret's text becomes what its readers use; `in_aws` refuses the local key.
type Parse<T> = fn(&str, bool) -> Result<T, TokenError>;

/// A parsed set and when it was read.
type Cached<T> = Option<(Instant, Arc<T>)>;

/// One secret, parsed, cached.
#[derive(Clone)]
pub struct SecretCache<T> {
    client: aws_sdk_secretsmanager::Client,
    secret_id: String,
    in_aws: bool,
    ttl: std::time::Duration,
    parse: Parse<T>,
    cached: Arc<RwLock<Cached<T>>>,
}

impl<T> std::fmt::Debug for SecretCache<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretCache({})", self.secret_id)
    }
}

impl<T> SecretCache<T> {
    /// A cache of `secret_id`, kept `KEY_CACHE_SECONDS` of `env` (default 300).
    pub fn new(
        client: aws_sdk_secretsmanager::Client,
        secret_id: String,
        env: &Env,
        parse: Parse<T>,
    ) -> Result<Self, ConfigError> {
        Ok(Self {
            client,
            secret_id,
            in_aws: env.in_aws(),
            ttl: std::time::Duration::from_secs(
                env.parse_or("KEY_CACHE_SECONDS", CACHE_TTL.as_secs())?,
            ),
            parse,
            cached: Arc::new(RwLock::new(None)),
        })
    }

    pub async fn get(&self) -> Result<Arc<T>, KeyError> {
        let cached = self.cached.read().await.clone();
        if let Some((read_at, value)) = &cached
            && read_at.elapsed() < self.ttl
        {
            return Ok(value.clone());
        }
        match self.read().await {
            Ok(value) => {
                let value = Arc::new(value);
                *self.cached.write().await = Some((Instant::now(), value.clone()));
                Ok(value)
            }
            Err(error) => match cached {
                Some((_, value)) => {
                    warn!(error = %error, secret = self.secret_id, "key secret unreadable; using the set read before");
                    Ok(value)
                }
                None => Err(error),
            },
        }
    }

    async fn read(&self) -> Result<T, KeyError> {
        let text = secret_text(&self.client, &self.secret_id).await?;
        Ok((self.parse)(text.as_deref().unwrap_or("{}"), self.in_aws)?)
    }
}

/// The text of secret `id` (`None` when it holds none).
pub async fn secret_text(
    client: &aws_sdk_secretsmanager::Client,
    id: &str,
) -> Result<Option<String>, KeyError> {
    let output = client
        .get_secret_value()
        .secret_id(id)
        .send()
        .await
        .map_err(|e| {
            KeyError::Unreadable(aws_sdk_secretsmanager::error::DisplayErrorContext(&e).to_string())
        })?;
    Ok(output.secret_string().map(str::to_owned))
}

/// The private set (login and refresh sign with it).
pub fn signing_keys(text: &str, in_aws: bool) -> Result<SigningKeySet, TokenError> {
    let set: SigningKeySet = serde_json::from_str(text).map_err(|_| TokenError::BadKey)?;
    set.check(in_aws)?;
    Ok(set)
}

/// The public set (the authorizer verifies with it).
pub fn verification_keys(text: &str, in_aws: bool) -> Result<TokenVerifier, TokenError> {
    TokenVerifier::new(&published_keys(text, in_aws)?)
}

/// The public set as published (`GET /.well-known/jwks.json`).
pub fn published_keys(text: &str, in_aws: bool) -> Result<JwkSet, TokenError> {
    let set: JwkSet = serde_json::from_str(text).map_err(|_| TokenError::BadKey)?;
    if in_aws && set.find(LOCAL_KEY_ID).is_some() {
        return Err(TokenError::LocalKeyInAws);
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_in_aws_refuses_the_local_development_keys() {
        let local = SigningKeySet::local_development();
        let private = serde_json::to_string(&local).unwrap();
        let public = serde_json::to_string(&local.public().unwrap()).unwrap();
        assert!(signing_keys(&private, false).is_ok());
        assert!(verification_keys(&public, false).is_ok());
        assert!(published_keys(&public, false).is_ok());
        assert_eq!(
            signing_keys(&private, true).err(),
            Some(TokenError::LocalKeyInAws)
        );
        assert_eq!(
            verification_keys(&public, true).err(),
            Some(TokenError::LocalKeyInAws)
        );
        assert_eq!(
            published_keys(&public, true).err(),
            Some(TokenError::LocalKeyInAws)
        );
        assert_eq!(
            signing_keys("not json", false).err(),
            Some(TokenError::BadKey)
        );
    }
}
