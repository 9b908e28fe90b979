//! Lambda function: `purge_section` (SectionRemoved consumer, SQS).

use fountain_runtime::{Env, aws::sdk_config};
use fountain_structure::purge::{load_deps, purge_section};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let deps = load_deps(&Env::process(), &sdk_config().await)?;
    fountain_runtime::lambda::run(deps, |deps, event| async move {
        Ok(purge_section(deps, event).await)
    })
    .await
}
