//! Reorders too large for one transaction. The whole plan is committed first, on the order
//! item together with the new order revision and the event: that transaction is the
//! commit point. The plan is then applied in chunks, the last of which removes it. Until
//! it is gone, readers see the order through the plan and writers of the order stay out
//! (the order revision's condition requires no plan). A plan whose applier died is finished
//! by the next writer of the order once the lease has run out.

use std::collections::HashMap;

use fountain_events::EventEnvelope;
use fountain_http::ApiError;
use fountain_scripts::Script;
use fountain_scripts::access::{
    Permission, SCRIPT_UNAVAILABLE, UNLOCKED_SCRIPT, allowed_transaction,
};
use fountain_sequence::{OrderKey, Write};
use fountain_store::{
    Expression, Item, LSI1_SK, Label, PK, SK, StoreError, Table, Transaction, s, string_attribute,
};

use crate::order::{SIBLING_GONE, Siblings, bump_and_set};

pub use crate::reorder_plan::{MAX_REORDER_KEYS, PENDING, PendingReorder, PlannedKey};

/// Commits `writes` among `siblings` based on order revision `seen`: the commit point, then
/// the chunks. Returns the order revision after it. Once the commit point has passed, the
/// reorder has happened whatever becomes of the chunks: a failed chunk is logged and left
/// to the next writer of the order.
pub async fn reorder_in_chunks(
    table: &Table,
    user_id: &str,
    siblings: &Siblings,
    seen: u64,
    writes: &[Write],
    event: &EventEnvelope,
) -> Result<u64, StoreError> {
    let pending = PendingReorder::new(writes);
    let (update, condition) = bump_and_set(seen, Some((PENDING, pending.to_attribute()?)));
    allowed_transaction(&siblings.script_id, user_id, Permission::Write)
        .update(siblings.order_item_key(), update, Some(condition))
        .event(event)?
        .commit(table)
        .await?;
    if let Err(error) = apply(table, siblings, &pending).await {
        tracing::warn!(%error, reorder_id = pending.reorder_id, "reorder committed but not applied in full; the next writer finishes it");
    }
    Ok(seen + 1)
}

/// Writes every chunk of `pending`, the last one removing it.
pub async fn apply(
    table: &Table,
    siblings: &Siblings,
    pending: &PendingReorder,
) -> Result<(), StoreError> {
    let chunks: Vec<&[PlannedKey]> = pending.chunks().collect();
    let last = chunks.len() - 1;
    for (index, chunk) in chunks.into_iter().enumerate() {
        write_chunk(table, siblings, &pending.reorder_id, chunk, index == last).await?;
    }
    Ok(())
}

/// The pending plan was finished, or replaced, by another writer.
const REORDER_FINISHED: Label = Label::new("reorder finished meanwhile");

/// One chunk of key writes, while the script is free of restores and `reorder_id` is still
/// the pending plan; `last` removes the plan too.
pub async fn write_chunk(
    table: &Table,
    siblings: &Siblings,
    reorder_id: &str,
    keys: &[PlannedKey],
    last: bool,
) -> Result<(), StoreError> {
    let still_pending = Expression::new(format!("{PENDING}.reorderId = :reorder"))
        .value(":reorder", s(reorder_id))
        .labelled(REORDER_FINISHED);
    let tx = Transaction::new().check(
        Table::key(siblings.pk(), Script::SK),
        Expression::new(UNLOCKED_SCRIPT).labelled(SCRIPT_UNAVAILABLE),
    );
    let tx = if last {
        tx.update(
            siblings.order_item_key(),
            Expression::new(format!("REMOVE {PENDING}")),
            Some(still_pending),
        )
    } else {
        tx.check(siblings.order_item_key(), still_pending)
    };
    keys.iter()
        .filter_map(|planned| Some((planned, OrderKey::parse(&planned.key)?)))
        .fold(tx, |tx, (planned, key)| {
            tx.update(
                Table::key(siblings.pk(), siblings.child_sk(&planned.id)),
                siblings.rekey(&key),
                Some(Expression::new("attribute_exists(pk)").labelled(SIBLING_GONE)),
            )
        })
        .commit(table)
        .await
}

/// The order revision a writer of the order bases its change on, once no reorder is
/// pending: a live one is a 409 (retry in a moment), one whose applier died is finished
/// here first.
impl Siblings {
    pub async fn settled_revision(&self, table: &Table) -> Result<u64, ApiError> {
        let state = self.state(table).await?;
        match state.pending {
            None => Ok(state.revision),
            Some(pending) if !pending.expired() => Err(ApiError::Conflict(
                "a large reorder of these items is being applied; retry in a moment".into(),
            )),
            Some(pending) => match apply(table, self, &pending).await {
                // Finished by someone else meanwhile, or the script is being restored (then
                // the caller's own write is refused).
                Ok(()) | Err(StoreError::Refused { .. }) => Ok(state.revision),
                Err(other) => Err(other.into()),
            },
        }
    }
}

/// Raw content items (as a snapshot holds them) with every pending plan applied and
/// removed: the state the script is in from the plan's commit point on.
pub fn settle_items(items: &mut [Item]) -> Result<(), StoreError> {
    // (pk, child sk) -> (order key, order index entry)
    let mut planned: HashMap<(String, String), (String, String)> = HashMap::new();
    for item in items.iter_mut() {
        let Some(pending) = PendingReorder::of_order_item(item)? else {
            continue;
        };
        let siblings = Siblings::of_order_item(item)
            .ok_or_else(|| StoreError::Corrupt("a pending reorder on an unknown order".into()))?;
        item.remove(PENDING);
        for planned_key in pending.keys {
            let entry = siblings.order_sk(&planned_key.key);
            planned.insert(
                (siblings.pk(), siblings.child_sk(&planned_key.id)),
                (planned_key.key, entry),
            );
        }
    }
    for item in items.iter_mut() {
        let (Some(pk), Some(sk)) = (string_attribute(item, PK), string_attribute(item, SK)) else {
            continue;
        };
        if let Some((key, entry)) = planned.remove(&(pk.to_owned(), sk.to_owned())) {
            item.insert("orderKey".into(), s(key));
            item.insert(LSI1_SK.into(), s(entry));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> OrderKey {
        OrderKey::parse(text).unwrap_or_else(|| panic!("{text} is a key"))
    }

    fn plan(keys: &[(&str, &str)]) -> PendingReorder {
        PendingReorder {
            reorder_id: "r".into(),
            until_ms: 0,
            keys: keys
                .iter()
                .map(|(id, key)| PlannedKey {
                    id: (*id).into(),
                    key: (*key).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_plan_gives_the_order_it_committed_over_any_applied_part() {
        let stored = vec![
            ("a".to_owned(), key("20")),
            ("b".to_owned(), key("40")),
            // c already has its planned key: applied by a chunk.
            ("c".to_owned(), key("10")),
        ];
        let order = plan(&[("a", "60"), ("c", "10")]).applied_to(stored);
        let ids: Vec<&str> = order.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["c", "b", "a"]);
    }

    #[test]
    fn chunks_fit_a_transaction_and_an_empty_plan_still_removes_itself() {
        let many: Vec<(String, String)> = (1..=99)
            .map(|i| (format!("e{i}"), format!("{i:02x}")))
            .collect();
        let borrowed: Vec<(&str, &str)> =
            many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let sizes: Vec<usize> = plan(&borrowed).chunks().map(<[PlannedKey]>::len).collect();
        assert_eq!(sizes, [98, 1]);
        assert_eq!(plan(&[]).chunks().count(), 1);
    }

    #[test]
    fn settled_items_hold_the_planned_keys_and_no_plan() {
        let siblings = Siblings::elements("S", "X");
        let order_item = Item::from([
            (PK.to_owned(), s(siblings.pk())),
            (SK.to_owned(), s(siblings.order_item_sk())),
            (
                PENDING.to_owned(),
                plan(&[("a", "60")])
                    .to_attribute()
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
        ]);
        let child = |id: &str, key: &str| {
            Item::from([
                (PK.to_owned(), s(siblings.pk())),
                (SK.to_owned(), s(siblings.child_sk(id))),
                ("orderKey".to_owned(), s(key)),
                (LSI1_SK.to_owned(), s(siblings.order_sk(key))),
            ])
        };
        let mut items = vec![order_item, child("a", "20"), child("b", "40")];
        settle_items(&mut items).unwrap_or_else(|e| panic!("{e}"));
        assert!(!items[0].contains_key(PENDING));
        assert_eq!(items[1], child("a", "60"));
        assert_eq!(items[2], child("b", "40"), "not in the plan: untouched");
    }

    #[test]
    fn a_plan_with_a_malformed_key_is_corrupt() {
        let item = Item::from([(
            PENDING.to_owned(),
            plan(&[("a", "6")])
                .to_attribute()
                .unwrap_or_else(|e| panic!("{e}")),
        )]);
        assert!(matches!(
            PendingReorder::of_order_item(&item),
            Err(StoreError::Corrupt(_))
        ));
    }
}
