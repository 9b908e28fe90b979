//! The Central Sequence: the one authority for the order of a parent's children (sections
//! in a script, elements in a section).
//!
//! Each child stores an order key (a base-256 fraction, hex-encoded so strings sort like the
//! keys). Clients never see keys: they see dense sequence numbers 1..n, the rank in key
//! order. Moving one child writes one key, whatever the number of siblings; a batch reorder
//! rewrites only the children outside the longest run that keeps its relative order. When a
//! gap is used up (hundreds of inserts into one place), only its neighbourhood is
//! rebalanced, in writes that each keep the order, so a large rebalance may span
//! transactions.

mod keys;
mod plan;

pub use keys::{MAX_KEY_BYTES, OrderKey, SALT_BYTES, SPREAD_MAX_BYTES, spread, spread_between};
pub use plan::{
    Move, Placement, Plan, SequenceError, Write, apply, longest_increasing, plan_insert, plan_move,
    plan_moves, plan_reorder,
};
