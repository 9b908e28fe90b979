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
    pub fn load(
        _env: &fountain_runtime::Env,
        _sdk: &fountain_runtime::aws::SdkConfig,
    ) -> Result<Self, fountain_runtime::ConfigError> {
        Ok(Self)
    }
}
