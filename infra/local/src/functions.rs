//! The functions this runner can run: every entry of the registry, built with the environment
//! template.yaml gives that function. The runner calls the same handlers the Lambda mains run.

use anyhow::{Result, anyhow};
use aws_config::{AppName, SdkConfig};
use fountain_runtime::Env;
pub use fountain_runtime::function::Invoker;
use fountain_runtime::function::Need;

/// Builds the function `binary` with its environment, validating its configuration. Its AWS
/// clients name it and its declared table needs in their user agent
/// (`app/<binary>.<needs>`, see [`needs_code`]), so the emulator refuses a DynamoDB call the
/// function's IAM policy would refuse in AWS (decision 51), and reports who called what.
pub fn build(binary: &str, env: &Env, sdk: &SdkConfig) -> Result<Invoker> {
    let function = fountain_registry::function(binary)
        .ok_or_else(|| anyhow!("no function named {binary} in the registry"))?;
    let named = sdk
        .to_builder()
        .app_name(AppName::new(format!(
            "{binary}.{}",
            needs_code(function.needs)
        ))?)
        .build();
    Ok((function.invoker)(env, &named)?)
}

/// The needs as the emulator reads them, one letter each (`-` for none): `r` ReadsTable,
/// `w` WritesTable, `c` Credentials, `s` SweepsTable, `e` ReadsEvents, `f` WritesEvents
/// (infra/scripts/fountain_moto/callers.py).
pub fn needs_code(needs: &[Need]) -> String {
    let code: String = needs
        .iter()
        .map(|need| match need {
            Need::ReadsTable => 'r',
            Need::WritesTable => 'w',
            Need::Credentials => 'c',
            Need::SweepsTable => 's',
            Need::ReadsEvents => 'e',
            Need::WritesEvents => 'f',
        })
        .collect();
    if code.is_empty() {
        "-".to_owned()
    } else {
        code
    }
}
