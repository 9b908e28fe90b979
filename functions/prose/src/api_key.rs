//! Where an OpenAI-compatible endpoint's key comes from: Secrets Manager in AWS (the ARN in
//! `GENERATOR_API_KEY_SECRET`, read at the first call and kept by the instance), or, on the
//! local stack only, the variable `GENERATOR_API_KEY` itself (decision 49).

use std::fmt;

use tokio::sync::OnceCell;

use crate::error::GenerateError;

/// A secret that must never reach a log: its `Debug` is redacted and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the one place that needs it: the request's header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// The value a key secret holds until an operator puts the key in it.
pub const UNSET: &str = "unset";

/// The configured source of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// The key itself (local stack only).
    Value(ApiKey),
    /// A Secrets Manager secret id (ARN) holding the key.
    Secret(String),
}

/// A key, resolved from its source at the first call.
#[derive(Debug)]
pub(crate) enum Key {
    Value(ApiKey),
    Secret {
        client: aws_sdk_secretsmanager::Client,
        id: String,
        read: OnceCell<ApiKey>,
    },
}

impl Key {
    pub(crate) fn new(source: &KeySource, sdk: &aws_config::SdkConfig) -> Self {
        match source {
            KeySource::Value(key) => Self::Value(key.clone()),
            KeySource::Secret(id) => Self::Secret {
                client: aws_sdk_secretsmanager::Client::new(sdk),
                id: id.clone(),
                read: OnceCell::new(),
            },
        }
    }

    pub(crate) async fn get(&self) -> Result<&ApiKey, GenerateError> {
        match self {
            Self::Value(key) => Ok(key),
            Self::Secret { client, id, read } => {
                read.get_or_try_init(|| async {
                    let output = client
                        .get_secret_value()
                        .secret_id(id)
                        .send()
                        .await
                        .map_err(|e| {
                            GenerateError::retryable(format!(
                                "the generator's key could not be read: {}",
                                aws_sdk_secretsmanager::error::DisplayErrorContext(&e)
                            ))
                        })?;
                    let key = output.secret_string().unwrap_or(UNSET).trim();
                    if key.is_empty() || key == UNSET {
                        return Err(GenerateError::retryable(
                            "the generator's key is not set: put it in the GeneratorApiKeySecret secret",
                        ));
                    }
                    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
                        return Err(GenerateError::permanent(
                            "the generator's key contains whitespace or control characters",
                        ));
                    }
                    Ok(ApiKey::new(key))
                })
                .await
            }
        }
    }
}
