//! Lambda function: `move_element`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_structure::{Deps, handlers::move_element};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, move_element).await
}
