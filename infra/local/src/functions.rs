//! The functions this runner can run: every entry of the registry, built with the environment
//! template.yaml gives that function. The runner calls the same handlers the Lambda mains run.

use anyhow::{Result, anyhow};
use aws_config::SdkConfig;
use fountain_runtime::Env;
pub use fountain_runtime::function::Invoker;

/// Builds the function `binary` with its environment, validating its configuration.
pub fn build(binary: &str, env: &Env, sdk: &SdkConfig) -> Result<Invoker> {
    let function = fountain_registry::function(binary)
        .ok_or_else(|| anyhow!("no function named {binary} in the registry"))?;
    Ok((function.invoker)(env, sdk)?)
}
