//! Lambda function: `get_generation`.

use fountain_generation::{Deps, handlers::get_generation};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, get_generation).await
}
