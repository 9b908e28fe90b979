//! The soak benchmark's parts (`bench_soak`): a client of the running stack over HTTP.

pub mod api;
pub mod background;
pub mod mix;
pub mod report;
pub mod setup;
pub mod stats;
