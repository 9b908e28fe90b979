//! The generator a worker runs, chosen by configuration. An enum rather than a trait object:
//! `Generator` returns `impl Future`, so it is not object-safe, and two variants need no more.

use crate::manuscript::Manuscript;
use fountain_runtime::ConfigError;

use crate::config::ProviderConfig;
use crate::{GenerateError, Generator, Offline, OpenAiCompatible, Part};

#[derive(Debug)]
pub enum Provider {
    Offline(Offline),
    OpenAi(OpenAiCompatible),
}

impl Provider {
    /// `sdk`: for the key's secret, read at the first call.
    pub fn from_config(
        config: &ProviderConfig,
        sdk: &aws_config::SdkConfig,
    ) -> Result<Self, ConfigError> {
        Ok(match config {
            ProviderConfig::Offline => Self::Offline(Offline),
            ProviderConfig::OpenAi(openai) => Self::OpenAi(OpenAiCompatible::new(openai, sdk)?),
        })
    }
}

impl Provider {
    /// Whether the provider answers within `timeout` (the offline writer always does).
    pub async fn probe(&self, timeout: std::time::Duration) -> Result<(), GenerateError> {
        match self {
            Self::Offline(_) => Ok(()),
            Self::OpenAi(generator) => generator.probe(timeout).await,
        }
    }
}

impl Generator for Provider {
    fn name(&self) -> &'static str {
        match self {
            Self::Offline(generator) => generator.name(),
            Self::OpenAi(generator) => generator.name(),
        }
    }

    async fn write_part(&self, story: &Manuscript, part: &Part) -> Result<String, GenerateError> {
        match self {
            Self::Offline(generator) => generator.write_part(story, part).await,
            Self::OpenAi(generator) => generator.write_part(story, part).await,
        }
    }
}
