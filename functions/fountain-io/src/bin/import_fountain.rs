//! Lambda function: `import_fountain`.

use fountain_io::{Deps, handlers::import_fountain};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, import_fountain).await
}
