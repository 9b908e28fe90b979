//! Lambda function: `authorizer` (HTTP API Lambda authorizer, simple responses).

use fountain_identity::{AuthorizerDeps, authorize};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let deps = AuthorizerDeps::load(&Env::process(), &sdk_config().await)?;
    fountain_runtime::lambda::run(deps, |deps, request| async move {
        Ok(authorize(deps, request).await)
    })
    .await
}
