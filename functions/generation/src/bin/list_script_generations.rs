//! Lambda function: `list_script_generations`.

use fountain_generation::{Deps, handlers::list_script_generations};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, list_script_generations).await
}
