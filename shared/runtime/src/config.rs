//! Typed configuration read once at start-up. In Lambda it comes from the process
//! environment; the local runner and tests hand each function the variables template.yaml
//! gives it, so the same loading code runs everywhere.

use std::collections::HashMap;
use std::str::FromStr;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("missing environment variable {0}")]
    Missing(String),
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid { name: String, reason: String },
}

/// A set of environment variables.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    /// The process environment, as Lambda provides it.
    pub fn process() -> Self {
        Self {
            vars: std::env::vars().collect(),
        }
    }

    pub fn from_map(vars: HashMap<String, String>) -> Self {
        Self { vars }
    }

    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.vars.insert(name.to_owned(), value.into());
        self
    }

    /// Whether this process runs in AWS Lambda (which sets `AWS_LAMBDA_FUNCTION_NAME`; the
    /// local runner does not), where local-only conveniences are refused.
    pub fn in_aws(&self) -> bool {
        self.optional("AWS_LAMBDA_FUNCTION_NAME").is_some()
    }

    pub fn optional(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn required(&self, name: &str) -> Result<String, ConfigError> {
        self.optional(name)
            .map(str::to_owned)
            .ok_or_else(|| ConfigError::Missing(name.to_owned()))
    }

    /// Parses `name`, or returns `default` when it is unset.
    pub fn parse_or<T>(&self, name: &str, default: T) -> Result<T, ConfigError>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        match self.optional(name) {
            None => Ok(default),
            Some(raw) => raw.parse().map_err(|e: T::Err| ConfigError::Invalid {
                name: name.to_owned(),
                reason: e.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_malformed_values_are_named_errors() {
        let env = Env::default().with("LIMIT", "ten").with("EMPTY", "");
        assert_eq!(
            env.required("TABLE"),
            Err(ConfigError::Missing("TABLE".into()))
        );
        assert_eq!(
            env.required("EMPTY"),
            Err(ConfigError::Missing("EMPTY".into()))
        );
        assert!(
            matches!(env.parse_or::<u32>("LIMIT", 5), Err(ConfigError::Invalid { name, .. }) if name == "LIMIT")
        );
        assert_eq!(env.parse_or::<u32>("UNSET", 5), Ok(5));
    }
}
