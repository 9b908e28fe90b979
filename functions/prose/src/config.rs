//! Which generator a worker uses, from its environment, checked once at start-up so that a
//! misconfigured provider fails the cold start with a clear message instead of every job.
//!
//! | variable                 | meaning                                                   |
//! |--------------------------|-----------------------------------------------------------|
//! | `GENERATOR`              | `offline` (default) or `openai`                           |
//! | `GENERATOR_URL`          | openai: base URL, e.g. `https://api.openai.com/v1`        |
//! | `GENERATOR_API_KEY_SECRET` | openai: the Secrets Manager secret holding the bearer token |
//! | `GENERATOR_API_KEY`      | openai, local stack only: the bearer token itself         |
//! | `GENERATOR_MODEL`        | openai: the model name                                    |
//! | `GENERATOR_TIMEOUT_SECS` | openai: per-request timeout, default 60                   |
//! | `GENERATOR_PART_CHARS`   | the part budget in characters, default 12000              |
//! | `GENERATOR_BACKUP_URL`   | optional: a second OpenAI-compatible endpoint to fail over to |
//! | `GENERATOR_BACKUP_API_KEY_SECRET` (or `_API_KEY`), `GENERATOR_BACKUP_MODEL` | the backup's key and model |

use std::time::Duration;

use fountain_runtime::{ConfigError, Env};

use crate::api_key::{ApiKey, KeySource};
use crate::parts::DEFAULT_PART_BUDGET;

pub const GENERATOR: &str = "GENERATOR";
pub const GENERATOR_URL: &str = "GENERATOR_URL";
pub const GENERATOR_API_KEY: &str = "GENERATOR_API_KEY";
pub const GENERATOR_API_KEY_SECRET: &str = "GENERATOR_API_KEY_SECRET";
pub const GENERATOR_MODEL: &str = "GENERATOR_MODEL";
pub const GENERATOR_TIMEOUT_SECS: &str = "GENERATOR_TIMEOUT_SECS";
pub const GENERATOR_PART_CHARS: &str = "GENERATOR_PART_CHARS";
pub const GENERATOR_BACKUP_URL: &str = "GENERATOR_BACKUP_URL";
pub const GENERATOR_BACKUP_API_KEY: &str = "GENERATOR_BACKUP_API_KEY";
pub const GENERATOR_BACKUP_API_KEY_SECRET: &str = "GENERATOR_BACKUP_API_KEY_SECRET";
pub const GENERATOR_BACKUP_MODEL: &str = "GENERATOR_BACKUP_MODEL";

/// The variables one OpenAI-compatible endpoint is configured by.
struct Names {
    url: &'static str,
    api_key: &'static str,
    api_key_secret: &'static str,
    model: &'static str,
}

const PRIMARY: Names = Names {
    url: GENERATOR_URL,
    api_key: GENERATOR_API_KEY,
    api_key_secret: GENERATOR_API_KEY_SECRET,
    model: GENERATOR_MODEL,
};

const BACKUP: Names = Names {
    url: GENERATOR_BACKUP_URL,
    api_key: GENERATOR_BACKUP_API_KEY,
    api_key_secret: GENERATOR_BACKUP_API_KEY_SECRET,
    model: GENERATOR_BACKUP_MODEL,
};

/// Long enough for a model to write a part of a few thousand words, short enough that a
/// hung connection is retried well within the worker's Lambda timeout.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// How the worker writes prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProseConfig {
    pub provider: ProviderConfig,
    /// Characters per part, see [`crate::plan_parts`].
    pub part_budget: usize,
    /// The endpoint the worker fails over to while the generator is down.
    pub backup: Option<OpenAiConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderConfig {
    Offline,
    OpenAi(OpenAiConfig),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAiConfig {
    /// Without a trailing slash; requests go to `{base_url}/chat/completions`.
    pub base_url: String,
    pub api_key: KeySource,
    pub model: String,
    pub timeout: Duration,
}

impl ProseConfig {
    pub fn from_env(env: &Env) -> Result<Self, ConfigError> {
        let provider = match env.optional(GENERATOR).map(str::trim) {
            None | Some("offline") => ProviderConfig::Offline,
            Some("openai") => ProviderConfig::OpenAi(OpenAiConfig::from_env(env, &PRIMARY)?),
            Some(other) => {
                return Err(invalid(
                    GENERATOR,
                    format!("'{other}' is not a generator; use offline or openai"),
                ));
            }
        };
        let part_budget = env.parse_or(GENERATOR_PART_CHARS, DEFAULT_PART_BUDGET)?;
        if part_budget == 0 {
            return Err(invalid(GENERATOR_PART_CHARS, "must be at least 1"));
        }
        let backup = match env.optional(GENERATOR_BACKUP_URL) {
            Some(_) => Some(OpenAiConfig::from_env(env, &BACKUP)?),
            None => None,
        };
        Ok(Self {
            provider,
            part_budget,
            backup,
        })
    }
}

impl OpenAiConfig {
    fn from_env(env: &Env, names: &Names) -> Result<Self, ConfigError> {
        let base_url = base_url(names.url, &env.required(names.url)?)?;
        // The key and the story travel to it: never in clear text outside the local stack.
        if env.in_aws() && !base_url.starts_with("https://") {
            return Err(invalid(names.url, "must be an https URL in AWS"));
        }
        let api_key = match (
            env.optional(names.api_key),
            env.optional(names.api_key_secret),
        ) {
            // A key in the environment is readable by anyone who can read the function's
            // configuration: only the local stack may use one.
            (Some(_), _) if env.in_aws() => {
                return Err(invalid(
                    names.api_key,
                    format!(
                        "is refused in AWS: put the key in Secrets Manager ({})",
                        names.api_key_secret
                    ),
                ));
            }
            (Some(key), _) => {
                // Checked here because reqwest would refuse the header on every request;
                // the message must not quote the key.
                if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
                    return Err(invalid(
                        names.api_key,
                        "contains whitespace or control characters",
                    ));
                }
                KeySource::Value(ApiKey::new(key))
            }
            (None, Some(secret)) => KeySource::Secret(secret.to_owned()),
            (None, None) => {
                return Err(ConfigError::Missing(names.api_key_secret.to_owned()));
            }
        };
        let model = env.required(names.model)?.trim().to_owned();
        let timeout_secs =
            env.parse_or(GENERATOR_TIMEOUT_SECS, DEFAULT_REQUEST_TIMEOUT.as_secs())?;
        if timeout_secs == 0 {
            return Err(invalid(GENERATOR_TIMEOUT_SECS, "must be at least 1"));
        }
        Ok(Self {
            base_url,
            api_key,
            model,
            timeout: Duration::from_secs(timeout_secs),
        })
    }
}

/// An absolute http(s) URL, without the trailing slash the endpoint path is appended to.
fn base_url(name: &str, raw: &str) -> Result<String, ConfigError> {
    let raw = raw.trim();
    let url = reqwest::Url::parse(raw).map_err(|e| invalid(name, format!("not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(name, "must be an http or https URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials in a URL end up in logs; the key belongs in GENERATOR_API_KEY.
        return Err(invalid(name, "must not contain credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(name, "must not have a query or fragment"));
    }
    Ok(raw.trim_end_matches('/').to_owned())
}

fn invalid(name: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        name: name.to_owned(),
        reason: reason.into(),
    }
}
