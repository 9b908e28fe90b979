//! What every function needs at run time: typed configuration from the environment, tracing
//! and CloudWatch Embedded Metric Format metrics, the AWS SDK set-up, and the consumer kit that
//! turns an SQS batch of EventBridge events into idempotent calls of a typed handler.

pub mod aws;
mod config;
pub mod consumer;
pub mod function;
mod idempotency;
pub mod invocation;
pub mod metrics;
pub mod settings;
pub mod telemetry;

pub use config::{ConfigError, Env};
pub use idempotency::{Claim, Idempotency};
// Re-exported for the function macros, so a context crate needs no direct dependency.
pub use {lambda_runtime, utoipa};
