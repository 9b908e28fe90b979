//! Lambda function: `update_element`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_structure::{Deps, handlers::update_element};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, update_element).await
}
