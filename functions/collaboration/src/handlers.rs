//! One handler per API operation, each the whole of one Lambda function.

mod accept;
mod invite;
mod members;

pub use accept::*;
pub use invite::*;
pub use members::*;
