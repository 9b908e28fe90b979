//! Lambda function: `end_sessions` (UserLoggedOut consumer, SQS).

use fountain_identity::sessions::{end_sessions, load_deps};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let deps = load_deps(&Env::process(), &sdk_config().await)?;
    fountain_runtime::lambda::run(deps, |deps, event| async move {
        Ok(end_sessions(deps, event).await)
    })
    .await
}
