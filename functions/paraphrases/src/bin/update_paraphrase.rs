//! Lambda function: `update_paraphrase`.

use fountain_paraphrases::{Deps, handlers::update_paraphrase};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, update_paraphrase).await
}
