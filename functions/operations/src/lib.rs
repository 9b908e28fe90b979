//! Operations: the API document (public) and the runtime configuration (admin). Health is
//! its own context (fountain-health).

pub mod functions;
pub use functions::FUNCTIONS;
pub mod config;
pub mod dead_letters;
pub mod openapi;

/// Nothing to configure yet; kept so every function has the same shape.
#[derive(Debug, Clone, Default)]
pub struct Deps;

impl Deps {
    /// Needs nothing of AWS, so `openapi_document` never loads the SDK.
    pub fn load(_env: &fountain_runtime::Env) -> Result<Self, fountain_runtime::ConfigError> {
        Ok(Self)
    }
}
