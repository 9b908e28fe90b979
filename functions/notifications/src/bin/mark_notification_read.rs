//! Lambda function: `mark_notification_read`.

use fountain_notifications::{Deps, handlers::mark_notification_read};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, mark_notification_read).await
}
