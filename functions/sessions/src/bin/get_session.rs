//! Lambda function: `get_session`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_sessions::{Deps, handlers::get_session};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, get_session).await
}
