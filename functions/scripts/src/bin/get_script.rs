//! Lambda function: `get_script`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_scripts::{Deps, handlers::get_script};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, get_script).await
}
