//! Live updates over API Gateway's WebSocket API (docs/live.md): a connection opens with an
//! access token, subscribes to the scripts its user may read, and hears each change of them
//! and who else is viewing, pushed through the management API by the consumers of the
//! content events; access that ends (a member removed, a logout) ends the stream.

pub mod access;
pub mod changes;
pub mod deps;
pub mod fanout;
pub mod functions;
pub mod handlers;
pub mod messages;
pub mod push;
pub mod store;

pub use functions::FUNCTIONS;
