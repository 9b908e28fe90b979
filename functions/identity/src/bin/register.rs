//! Lambda function: `register`.

use fountain_identity::{IdentityDeps, handlers::register};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = IdentityDeps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, register).await
}
