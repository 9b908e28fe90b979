//! Lambda function: `notify_users` (consumer of generation outcomes and limits, SQS).

use fountain_notifications::notify::{load_deps, notify_users};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let deps = load_deps(&Env::process(), &sdk_config().await)?;
    fountain_runtime::lambda::run(deps, |deps, event| async move {
        Ok(notify_users(deps, event).await)
    })
    .await
}
