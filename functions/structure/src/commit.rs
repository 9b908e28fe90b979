//! Planning and committing a change of order: the O(1) path when the neighbours of the gap
//! have room, the whole order otherwise; a rebalance too large for one transaction commits
//! first in chunks that each keep the order, then the change itself.

use fountain_scripts::access::{Permission, allowed_transaction};
use fountain_sequence::{
    OrderKey, Placement, Plan, SALT_BYTES, SequenceError, Write, apply, plan_insert, plan_move,
};
use fountain_store::{Expression, StoreError, Table, Transaction, s};

use crate::order::{ANCHOR_MOVED, AnchorError, Basis, Gap, SIBLING_GONE, Siblings};

/// Most keys one transaction writes: DynamoDB's 100 less the two access checks, the order
/// revision, the changed item and its event.
pub const MAX_KEY_WRITES: usize = 95;

/// Where to put `id` (a new child when `existing` is false) among `siblings`. Relative and
/// end placements read at most three items; positions read the order's keys.
pub async fn plan_placement(
    table: &Table,
    siblings: &Siblings,
    id: &str,
    to: &Placement,
    existing: bool,
) -> Result<Result<Plan, SequenceError>, StoreError> {
    match siblings.gap(table, id, to).await? {
        Some(Ok(Gap::Unchanged)) => return Ok(Ok(Plan::default())),
        Some(Ok(Gap::Between(low, high, _))) => {
            if let Some(key) = OrderKey::between(low.as_ref(), high.as_ref()) {
                return Ok(Ok(Plan {
                    rebalance: Vec::new(),
                    writes: vec![Write {
                        id: id.to_owned(),
                        key,
                    }],
                }));
            }
        }
        Some(Err(AnchorError::Unknown(anchor))) => {
            return Ok(Err(SequenceError::UnknownId(anchor)));
        }
        Some(Err(AnchorError::Itself(anchor))) => {
            return Ok(Err(SequenceError::RelativeToItself(anchor)));
        }
        None => {}
    }
    let current = siblings.keyed(table).await?;
    Ok(if existing {
        plan_move(&current, id, to)
    } else {
        plan_insert(&current, id, to)
    })
}

/// Where a new child `id` goes among `siblings`, whose order revision is `seen`: into the
/// gap next to its anchor with a salted key when the neighbours have room (concurrent
/// inserts do not conflict), else a plan over the whole order based on `seen`.
pub async fn plan_new(
    table: &Table,
    siblings: &Siblings,
    id: &str,
    to: &Placement,
    seen: u64,
    salt: [u8; SALT_BYTES],
) -> Result<Result<(Plan, Basis), SequenceError>, StoreError> {
    match siblings.gap(table, id, to).await? {
        Some(Ok(Gap::Between(low, high, anchor))) => {
            if let Some(key) = OrderKey::between_unique(low.as_ref(), high.as_ref(), salt) {
                let write = Write {
                    id: id.to_owned(),
                    key,
                };
                let plan = Plan {
                    rebalance: Vec::new(),
                    writes: vec![write],
                };
                return Ok(Ok((plan, Basis::Gap(anchor))));
            }
        }
        Some(Err(AnchorError::Unknown(anchor))) => {
            return Ok(Err(SequenceError::UnknownId(anchor)));
        }
        Some(Err(AnchorError::Itself(anchor))) => {
            return Ok(Err(SequenceError::RelativeToItself(anchor)));
        }
        Some(Ok(Gap::Unchanged)) | None => {}
    }
    let current = siblings.keyed(table).await?;
    Ok(plan_insert(&current, id, to).map(|plan| (plan, Basis::Revision(seen))))
}

/// Commits `plan` among `siblings`, on `basis`. `placed` is a child
/// whose key the caller writes itself in `finish` (a new or re-parented child); `finish`
/// adds the caller's writes and event to the last transaction. Returns the order revision
/// after the change.
pub async fn commit_plan(
    table: &Table,
    user_id: &str,
    siblings: &Siblings,
    basis: Basis,
    plan: &Plan,
    placed: Option<&str>,
    finish: impl FnOnce(Transaction) -> Result<Transaction, StoreError>,
) -> Result<(), StoreError> {
    let mut basis = basis;
    let merged = plan.merged();
    let last = if merged.len() <= MAX_KEY_WRITES {
        merged
    } else {
        for chunk in plan.rebalance.chunks(MAX_KEY_WRITES) {
            opened(siblings, user_id, &basis, chunk, None)
                .commit(table)
                .await?;
            basis = basis.next();
        }
        plan.writes.clone()
    };
    finish(opened(siblings, user_id, &basis, &last, placed))?
        .commit(table)
        .await
}

/// A transaction with the access checks, the order revision moving on from `basis` (and
/// its anchor checked) and the new keys, except `placed`'s.
fn opened(
    siblings: &Siblings,
    user_id: &str,
    basis: &Basis,
    writes: &[Write],
    placed: Option<&str>,
) -> Transaction {
    let (update, condition) = basis.bump();
    let mut tx = allowed_transaction(&siblings.script_id, user_id, Permission::Write).update(
        siblings.order_item_key(),
        update,
        Some(condition),
    );
    if let Basis::Gap(Some((anchor, key))) = basis {
        tx = tx.check(
            Table::key(siblings.pk(), siblings.child_sk(anchor)),
            Expression::new("lsi1sk = :anchored")
                .value(":anchored", s(siblings.order_sk(key.as_str())))
                .labelled(ANCHOR_MOVED),
        );
    }
    writes
        .iter()
        .filter(|w| Some(w.id.as_str()) != placed)
        .fold(tx, |tx, write| {
            tx.update(
                Table::key(siblings.pk(), siblings.child_sk(&write.id)),
                siblings.rekey(&write.key),
                Some(Expression::new("attribute_exists(pk)").labelled(SIBLING_GONE)),
            )
        })
}

/// The sequence number `id` gets from `plan` (before it commits). `old_key` is its key
/// now, when it is a child already.
pub async fn sequence_after(
    table: &Table,
    siblings: &Siblings,
    plan: &Plan,
    id: &str,
    old_key: Option<&OrderKey>,
) -> Result<usize, StoreError> {
    match key_for(plan, id) {
        Some(key) if plan.rebalance.is_empty() => {
            let below = siblings.count_below(table, key).await?;
            let moved_up = old_key.is_some_and(|old| old < key);
            Ok(below - usize::from(moved_up) + 1)
        }
        _ => {
            let current = siblings.keyed(table).await?;
            let order = apply(&current, &plan.merged());
            Ok(order.iter().position(|x| x == id).map_or(0, |i| i + 1))
        }
    }
}

/// The order revision after [`commit_plan`] commits `plan` from `seen`.
pub fn revision_after(seen: u64, plan: &Plan) -> u64 {
    if plan.len() <= MAX_KEY_WRITES {
        seen + 1
    } else {
        seen + plan.rebalance.len().div_ceil(MAX_KEY_WRITES) as u64 + 1
    }
}

/// The key `plan` gives `id`, if any.
pub fn key_for<'a>(plan: &'a Plan, id: &str) -> Option<&'a OrderKey> {
    plan.writes.iter().find(|w| w.id == id).map(|w| &w.key)
}
