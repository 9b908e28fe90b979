//! Lambda function: `list_events`.

use fountain_event_store::{QueryDeps, list::list_events};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = QueryDeps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, list_events).await
}
