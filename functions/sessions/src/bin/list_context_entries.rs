//! Lambda function: `list_context_entries`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_sessions::{Deps, handlers::list_context_entries};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, list_context_entries).await
}
