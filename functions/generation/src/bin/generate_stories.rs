//! Lambda function: `generate_stories` (the generation worker, SQS).

use fountain_generation::worker::{WorkerDeps, generate_stories};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let deps = WorkerDeps::load(&Env::process(), &sdk_config().await)?;
    fountain_runtime::lambda::run(deps, |deps, event| async move {
        Ok(generate_stories(deps, event).await)
    })
    .await
}
