//! Lambda function: `openapi_document`.

use fountain_operations::{Deps, openapi::openapi_document};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    fountain_http::lambda::run(Deps, openapi_document).await
}
