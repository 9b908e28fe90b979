//! The body of every non-HTTP function's main (consumers, the relay, the authorizer):
//! logging, then the Lambda runtime loop around one handler with dependencies built once.

use std::future::Future;

use lambda_runtime::{LambdaEvent, service_fn};
use serde::{Serialize, de::DeserializeOwned};

/// Runs `handler` as the Lambda function of this process.
pub async fn run<D, P, R, F, Fut>(deps: D, handler: F) -> Result<(), lambda_runtime::Error>
where
    D: Send + Sync + 'static,
    P: DeserializeOwned + Send + 'static,
    R: Serialize + Send + 'static,
    F: Fn(&'static D, P) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<R, lambda_runtime::Error>> + Send,
{
    crate::telemetry::init();
    // The dependencies live as long as the process, as Lambda's execution environment does.
    let deps: &'static D = Box::leak(Box::new(deps));
    lambda_runtime::run(service_fn(move |event: LambdaEvent<P>| {
        handler(deps, event.payload)
    }))
    .await
}
