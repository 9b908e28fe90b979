//! Identity: accounts (argon2id password hashes), access tokens and rotating refresh tokens,
//! logout that revokes every token at once, and the HTTP API Lambda authorizer, the one
//! place bearer tokens are verified.

pub mod authorizer;
mod deps;
pub mod handlers;
mod model;
pub mod password;
mod rate_limit;
pub mod sessions;
mod store;
pub mod tokens;

pub use authorizer::{AuthorizerDeps, authorize};
pub use deps::IdentityDeps;
pub use model::{Login, Me, Refresh, Register, TokenPair, UserView};
