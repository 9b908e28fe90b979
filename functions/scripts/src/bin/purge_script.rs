//! Lambda function: `purge_script` (ScriptDeleted consumer, SQS).

use fountain_runtime::{Env, aws::sdk_config};
use fountain_scripts::purge::{load_deps, purge_script};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let deps = load_deps(&Env::process(), &sdk_config().await)?;
    fountain_runtime::lambda::run(deps, |deps, event| async move {
        Ok(purge_script(deps, event).await)
    })
    .await
}
