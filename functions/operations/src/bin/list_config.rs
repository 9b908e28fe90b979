//! Lambda function: `list_config`.

use fountain_http::TableDeps;
use fountain_operations::config::list_config;
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = TableDeps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, list_config).await
}
