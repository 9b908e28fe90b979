//! Lambda function: `get_version`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_versions::{Deps, handlers::get_version};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, get_version).await
}
