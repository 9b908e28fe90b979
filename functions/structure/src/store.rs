//! Writes of sections: each commits with the access checks, the order revision when the
//! order changes, and its event.

use fountain_events::EventEnvelope;
use fountain_scripts::Script;
use fountain_scripts::access::{Permission, allowed_transaction};
use fountain_sequence::Write;
use fountain_store::{Expression, ItemCodec, StoreError, Table, Transaction, n, s};

use crate::model::Section;
use crate::order::{bump, sections_order_key};

/// New order keys for siblings (a rebalance, or the moved children of a reorder).
fn rekey(mut tx: Transaction, script_id: &str, writes: &[Write]) -> Transaction {
    for write in writes {
        let update = Expression::new("SET orderKey = :key, lsi1sk = :order")
            .value(":key", s(write.key.as_str()))
            .value(":order", s(Section::order_sk(write.key.as_str())));
        tx = tx.update(
            Table::key(Script::pk(script_id), Section::sk(&write.id)),
            update,
            Some("attribute_exists(pk)"),
        );
    }
    tx
}

/// Adds `section`; `siblings` are rebalanced siblings' new keys (usually none).
pub async fn add(
    table: &Table,
    user_id: &str,
    section: &Section,
    seen: u64,
    siblings: &[Write],
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let (update, condition) = bump(seen);
    let tx = allowed_transaction(&section.script_id, user_id, Permission::Write)
        .update(
            sections_order_key(&section.script_id),
            update,
            Some(condition),
        )
        .put(
            section.to_item()?,
            Some(Expression::new("attribute_not_exists(pk)")),
        );
    rekey(tx, &section.script_id, siblings)
        .event(event)?
        .commit(table)
        .await
}

/// Replaces the section's fields if it is still at `based_on` (write 2).
pub async fn replace(
    table: &Table,
    user_id: &str,
    section: &Section,
    based_on: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let unchanged = Expression::new("attribute_exists(pk) AND revision = :based_on")
        .value(":based_on", n(based_on));
    allowed_transaction(&section.script_id, user_id, Permission::Write)
        .put(section.to_item()?, Some(unchanged))
        .event(event)?
        .commit(table)
        .await
}

/// Removes the section (write 2) and moves the order revision on, so reorders based on the
/// old order are refused.
pub async fn remove(
    table: &Table,
    user_id: &str,
    section: &Section,
    seen: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let (update, condition) = bump(seen);
    allowed_transaction(&section.script_id, user_id, Permission::Write)
        .delete(
            Table::key(
                Script::pk(&section.script_id),
                Section::sk(&section.section_id),
            ),
            Some(
                Expression::new("attribute_exists(pk) AND revision = :revision")
                    .value(":revision", n(section.revision)),
            ),
        )
        .update(
            sections_order_key(&section.script_id),
            update,
            Some(condition),
        )
        .event(event)?
        .commit(table)
        .await
}

/// Writes new keys for the moved sections, if the order is still at `seen` (write 2).
pub async fn reorder(
    table: &Table,
    user_id: &str,
    script_id: &str,
    seen: u64,
    writes: &[Write],
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let (update, condition) = bump(seen);
    let tx = allowed_transaction(script_id, user_id, Permission::Write).update(
        sections_order_key(script_id),
        update,
        Some(condition),
    );
    rekey(tx, script_id, writes)
        .event(event)?
        .commit(table)
        .await
}
