//! Lambda function: `health`.

use fountain_operations::{Deps, health::health};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    fountain_http::lambda::run(Deps, health).await
}
