//! Lambda function: `get_story`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_stories::{Deps, handlers::get_story};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, get_story).await
}
