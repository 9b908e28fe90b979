//! Writes of sections: each commits with the access checks, the order revision when the
//! order changes, and its event.

use fountain_events::EventEnvelope;
use fountain_scripts::access::{Permission, allowed_transaction};
use fountain_sequence::Plan;
use fountain_store::{Expression, ItemCodec, Label, StoreError, Table, n, s};

use crate::commit::{MAX_KEY_WRITES, commit_plan};
use crate::model::Section;
use crate::order::{Siblings, bump};
use crate::pending::reorder_in_chunks;

/// Adds `section`, whose key `plan` gives (after its rebalance, if any).
pub async fn add(
    table: &Table,
    user_id: &str,
    section: &Section,
    seen: u64,
    plan: &Plan,
    event: &EventEnvelope,
) -> Result<u64, StoreError> {
    let siblings = Siblings::sections(&section.script_id);
    let item = section.to_item()?;
    commit_plan(
        table,
        user_id,
        &siblings,
        seen,
        plan,
        Some(&section.section_id),
        |tx| tx.create(item).event(event),
    )
    .await
}

/// The section is not at the revision (or place) a change is based on, or is gone.
const SECTION_CHANGED: Label = Label::new("section changed meanwhile");

/// Replaces the section's fields if it is still at `based_on`.
pub async fn replace(
    table: &Table,
    user_id: &str,
    section: &Section,
    based_on: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    // Still in the same place too: a move does not change the revision, and this put
    // must not undo it.
    let unchanged =
        Expression::new("attribute_exists(pk) AND revision = :based_on AND orderKey = :key")
            .value(":based_on", n(based_on))
            .value(":key", s(&section.order_key))
            .labelled(SECTION_CHANGED);
    allowed_transaction(&section.script_id, user_id, Permission::Write)
        .put(section.to_item()?, Some(unchanged))
        .event(event)?
        .commit(table)
        .await
}

/// Removes the section and moves the order revision on, so reorders based on the
/// old order are refused. Its elements go with it: the section's removal hides them at once
/// and the `purge_section` consumer deletes them.
pub async fn remove(
    table: &Table,
    user_id: &str,
    section: &Section,
    seen: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let siblings = Siblings::sections(&section.script_id);
    let (update, condition) = bump(seen);
    allowed_transaction(&section.script_id, user_id, Permission::Write)
        .delete(
            Table::key(siblings.pk(), siblings.child_sk(&section.section_id)),
            Some(
                Expression::new("attribute_exists(pk) AND revision = :revision")
                    .value(":revision", n(section.revision))
                    .labelled(SECTION_CHANGED),
            ),
        )
        .update(siblings.order_item_key(), update, Some(condition))
        .event(event)?
        .commit(table)
        .await
}

/// Writes the plan's keys with the event, if the order is still at `seen`: in one
/// transaction when they fit, else committed as a plan and applied in chunks.
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
    commit_plan(table, user_id, siblings, seen, plan, None, |tx| {
        tx.event(event)
    })
    .await
}
