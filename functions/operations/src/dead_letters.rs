//! Dead letters, for operators (`/admin/dead-letters`): every dead-letter queue of the stack
//! with its count, a peek at its messages (without consuming them), a redrive of all or one
//! message to the queue it came from, and the deletion of one. The queues are found, not
//! configured: every queue of the stack (named `<stack>-...`) whose redrive policy names a
//! dead-letter queue pairs the two.

mod queues;
mod routes;

pub use queues::{DeadLetterDeps, DeadLetterQueue, Peeked};
pub use routes::*;
