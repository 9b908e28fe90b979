//! Lambda function: `update_context_entry`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_sessions::{Deps, handlers::update_context_entry};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, update_context_entry).await
}
