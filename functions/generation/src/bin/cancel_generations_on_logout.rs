//! Lambda function: `cancel_generations_on_logout` (consumer of UserLoggedOut, SQS).

use fountain_generation::logout::{cancel_generations_on_logout, load_deps};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let deps = load_deps(&Env::process(), &sdk_config().await)?;
    fountain_runtime::lambda::run(deps, |deps, event| async move {
        Ok(cancel_generations_on_logout(deps, event).await)
    })
    .await
}
