//! The functions this runner can run: every entry of the registry, built with the environment
//! template.yaml gives that function. The runner calls the same handlers the Lambda mains run.

use anyhow::{Result, anyhow};
use aws_config::{AppName, SdkConfig};
use fountain_runtime::Env;
pub use fountain_runtime::function::Invoker;

/// Builds the function `binary` with its environment, validating its configuration. Its AWS
/// clients name it in their user agent (`app/<binary>`), so the emulator can tell which
/// function made a call and check it against the function's declared needs (decision 51).
pub fn build(binary: &str, env: &Env, sdk: &SdkConfig) -> Result<Invoker> {
    let function = fountain_registry::function(binary)
        .ok_or_else(|| anyhow!("no function named {binary} in the registry"))?;
    let named = sdk
        .to_builder()
        .app_name(AppName::new(binary.to_owned())?)
        .build();
    Ok((function.invoker)(env, &named)?)
}
