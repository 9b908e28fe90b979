//! Lambda function: `relay` (DynamoDB stream -> EventBridge).

use fountain_event_store::{RelayDeps, relay::relay};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let deps = RelayDeps::load(&Env::process(), &sdk_config().await)?;
    fountain_runtime::lambda::run(
        deps,
        |deps, event| async move { Ok(relay(deps, event).await) },
    )
    .await
}
