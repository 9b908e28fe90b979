//! One module per command group.

pub mod admin;
pub mod auth;
pub mod events;
pub mod generate;
pub mod scripts;
pub mod watch;
