//! Lambda function: `get_me`.

use fountain_identity::{IdentityDeps, handlers::get_me};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = IdentityDeps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, get_me).await
}
