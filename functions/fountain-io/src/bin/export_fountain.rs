//! Lambda function: `export_fountain`.

use fountain_io::{Deps, handlers::export_fountain};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, export_fountain).await
}
