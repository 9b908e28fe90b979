//! The body of every HTTP function's main: logging, then the Lambda runtime loop around one
//! handler with dependencies built once, outside the handler.

use std::future::Future;

use lambda_http::{Body, Request, Response, service_fn};

/// Runs `handler` as the Lambda function of this process.
pub async fn run<D, F, Fut>(deps: D, handler: F) -> Result<(), lambda_http::Error>
where
    D: Send + Sync + 'static,
    F: Fn(&'static D, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response<Body>> + Send,
{
    fountain_runtime::telemetry::init();
    // The dependencies live as long as the process, as Lambda's execution environment does.
    let deps: &'static D = Box::leak(Box::new(deps));
    lambda_http::run(service_fn(move |req| {
        let response = handler(deps, req);
        async move { Ok::<_, lambda_http::Error>(response.await) }
    }))
    .await
}
