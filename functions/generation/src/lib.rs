//! Story generation jobs (the Story Factory's long work): the jobs API, the SQS worker that
//! writes a story's prose, Fountain text and orchestration files to S3, the daily quota per
//! plan with usage records, and the cancellation of a user's jobs when they log out.

pub mod availability;
pub mod breaker;
pub mod erasure;
pub mod first_generation;
pub mod functions;
pub use functions::FUNCTIONS;
mod deps;
pub mod handlers;
pub mod lifecycle;
pub mod logout;
pub mod manuscript;
pub mod model;
pub mod music;
pub mod outputs;
pub mod pipeline;
pub mod quota;
pub mod reconcile;
pub mod redelivery;
pub mod store;
pub mod worker;
mod worker_deps;

pub use deps::Deps;
pub use model::{Job, JobStatus, JobView};
