//! Lambda function: `accept_invitation`.

use fountain_collaboration::{Deps, handlers::accept_invitation};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, accept_invitation).await
}
