//! Operations: health and the API document (public), and the runtime configuration (admin).

pub mod functions;
pub use functions::FUNCTIONS;
pub mod config;
pub mod health;
pub mod openapi;

/// Nothing to configure yet; kept so every function has the same shape.
#[derive(Debug, Clone, Default)]
pub struct Deps;

impl Deps {
    /// Needs nothing of AWS, so `health` and `openapi_document` never load the SDK.
    pub fn load(_env: &fountain_runtime::Env) -> Result<Self, fountain_runtime::ConfigError> {
        Ok(Self)
    }
}
