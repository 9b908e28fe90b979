//! Which function the current task runs for, so logs and metrics can name it wherever they
//! are emitted (the HTTP wrapper, the consumer kit, the authorizer).

use std::future::Future;

tokio::task_local! {
    static FUNCTION_NAME: &'static str;
}

/// The name of the function handling the current request or event.
pub fn current_name() -> &'static str {
    FUNCTION_NAME.try_with(|name| *name).unwrap_or("unnamed")
}

/// Runs `work` as the function `name`.
pub fn scope<F: Future>(name: &'static str, work: F) -> impl Future<Output = F::Output> {
    FUNCTION_NAME.scope(name, work)
}
