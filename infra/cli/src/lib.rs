//! `fountain`: the FountainAI command-line client. Every command talks to the HTTP API (or
//! the WebSocket API, for `watch`) of a local or deployed stack; docs/cli.md describes them,
//! the credentials file and the exit codes.

pub mod cli;
pub mod client;
pub mod commands;
pub mod credentials;
pub mod error;
pub mod live;
pub mod output;
pub mod progress;
