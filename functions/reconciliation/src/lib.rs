//! The scheduled reconciler: repairs the drift the design admits can happen, each repair
//! once (under a condition) and with its Reconciled event, and at most a bounded amount per
//! run, so a run fits its time and a second run finds nothing left.
//!
//! - stale generation jobs (the generation context's repair),
//! - outbox events the relay never published (this crate, acting as the relay),
//! - unfinished accepts of invitations (the collaboration context's repair),
//! - drifted counters, found by a sweep of a slice of the table per run (sessions' entry
//!   counts, daily usage counters).

pub mod deps;
pub mod functions;
pub mod outbox;
pub mod run;
pub mod sweep;

pub use deps::ReconcileDeps;
pub use functions::FUNCTIONS;
