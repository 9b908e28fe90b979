//! The Central Sequence: the one authority for the order of a parent's children (sections
//! in a script, elements in a section).
//!
//! Each child stores an order key (a fractional index, hex-encoded so strings sort like the
//! keys). Clients never see keys: they see dense sequence numbers 1..n, the rank in key
//! order. Moving one child writes one key, whatever the number of siblings; a batch reorder
//! rewrites only the children outside the longest run that keeps its relative order. When a
//! key grows past [`MAX_KEY_CHARS`] (hundreds of inserts into one gap), the parent is
//! rebalanced: every child gets a fresh, evenly spread key.

mod keys;
mod plan;

pub use keys::{MAX_KEY_CHARS, OrderKey, spread};
pub use plan::{
    Move, Placement, SequenceError, Write, apply, plan_insert, plan_move, plan_moves, plan_reorder,
};
