//! Writes of sections and elements: each commits with the access checks, the kind's own
//! checks ([`Child::with_checks`]), the order revision when the order changes, and its event.

use fountain_events::EventEnvelope;
use fountain_scripts::access::{Permission, allowed_transaction};
use fountain_sequence::Plan;
use fountain_store::{StoreError, Table};

use crate::child::Child;
use crate::commit::{MAX_KEY_WRITES, commit_plan};
use crate::order::{Basis, Siblings, bump};
use crate::pending::reorder_in_chunks;

/// Adds `child`, whose key `plan` gives (after its rebalance, if any), counting it against
/// its kind's cap at `max` (refused with [`fountain_scripts::caps::CAP_REACHED`]).
pub async fn add<C: Child>(
    table: &Table,
    user_id: &str,
    child: &C,
    basis: Basis,
    plan: &Plan,
    max: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let item = child.to_item()?;
    let counted = child
        .cap()
        .map(|cap| cap.one_more(&child.siblings().script_id, max));
    commit_plan(
        table,
        user_id,
        &child.siblings(),
        basis,
        plan,
        Some(child.id()),
        |tx| {
            let tx = match counted {
                Some((counter, one_more, below_cap)) => {
                    tx.update(counter, one_more, Some(below_cap))
                }
                None => tx,
            };
            child.with_checks(tx).create(item).event(event)
        },
    )
    .await
}

/// Replaces `before` with `after` if it is still as it was read.
pub async fn replace<C: Child>(
    table: &Table,
    user_id: &str,
    before: &C,
    after: &C,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let tx = allowed_transaction(&after.siblings().script_id, user_id, Permission::Write);
    after
        .with_checks(tx)
        .put(after.to_item()?, Some(before.unchanged()))
        .event(event)?
        .commit(table)
        .await
}

/// Removes `child` and moves its siblings' order revision on, so reorders based on the old
/// order are refused. A section's elements go with it: its removal hides them at once and
/// the `purge_section` consumer deletes them.
pub async fn remove<C: Child>(
    table: &Table,
    user_id: &str,
    child: &C,
    seen: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let siblings = child.siblings();
    let (update, condition) = bump(seen);
    let mut tx = allowed_transaction(&siblings.script_id, user_id, Permission::Write)
        .delete(
            Table::key(siblings.pk(), siblings.child_sk(child.id())),
            Some(child.removable()),
        )
        .update(siblings.order_item_key(), update, Some(condition));
    if let Some(cap) = child.cap() {
        let (counter, one_less) = cap.one_less(&siblings.script_id);
        tx = tx.update(counter, one_less, None);
    }
    tx.event(event)?.commit(table).await
}

/// The order revision a reorder based on `seen` writes: one more, however many
/// transactions apply its keys (a large reorder commits once, at its commit point).
pub fn reorder_revision(seen: u64) -> u64 {
    seen + 1
}

/// Writes the plan's keys with the event, if the order is still at `seen`: in one
/// transaction when they fit, else committed as a plan and applied in chunks. Returns the
/// order revision written ([`reorder_revision`]).
pub async fn reorder(
    table: &Table,
    user_id: &str,
    siblings: &Siblings,
    seen: u64,
    plan: &Plan,
    event: &EventEnvelope,
) -> Result<u64, StoreError> {
    if plan.len() > MAX_KEY_WRITES {
        return reorder_in_chunks(table, user_id, siblings, seen, &plan.merged(), event).await;
    }
    commit_plan(
        table,
        user_id,
        siblings,
        Basis::Revision(seen),
        plan,
        None,
        |tx| tx.event(event),
    )
    .await?;
    Ok(reorder_revision(seen))
}
