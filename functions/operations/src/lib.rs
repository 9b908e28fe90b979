//! Operations: health and the API document (public), and the runtime configuration (admin).

pub mod config;
pub mod health;
pub mod openapi;

/// Nothing to configure yet; kept so every function has the same shape.
#[derive(Debug, Clone, Default)]
pub struct Deps;
