//! Lambda function: `create_paraphrase`.

use fountain_paraphrases::{Deps, handlers::create_paraphrase};
use fountain_runtime::{Env, aws::sdk_config};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let deps = Deps::load(&Env::process(), &sdk_config().await)?;
    fountain_http::lambda::run(deps, create_paraphrase).await
}
