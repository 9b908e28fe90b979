//! Lambda function: `list_elements`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_structure::{Deps, handlers::list_elements};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, list_elements).await
}
