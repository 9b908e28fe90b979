//! Lambda function: `diff_versions`.

use fountain_runtime::{Env, aws::sdk_config};
use fountain_versions::{Deps, handlers::diff_versions};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, diff_versions).await
}
