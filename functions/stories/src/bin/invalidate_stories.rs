//! Lambda function: `invalidate_stories` (consumer of content events, SQS).

use fountain_runtime::{Env, aws::sdk_config};
use fountain_stories::invalidate::{invalidate_stories, load_deps};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let deps = load_deps(&Env::process(), &sdk_config().await)?;
    fountain_runtime::lambda::run(deps, |deps, event| async move {
        Ok(invalidate_stories(deps, event).await)
    })
    .await
}
