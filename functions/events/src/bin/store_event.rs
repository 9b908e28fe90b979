//! Lambda function: `store_event` (event store consumer, SQS).

use fountain_event_store::{StoreDeps, store_event::store_event};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let deps = StoreDeps::load(&Env::process(), &sdk_config().await)?;
    fountain_runtime::lambda::run(deps, |deps, event| async move {
        Ok(store_event(deps, event).await)
    })
    .await
}
