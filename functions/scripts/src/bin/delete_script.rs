//! Lambda function: `delete_script`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_scripts::{Deps, handlers::delete_script};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, delete_script).await
}
