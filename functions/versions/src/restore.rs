//! Restoring a version. The script is locked (`restoreLock` on the script item: every
//! content write checks it), the difference between its content and the snapshot is
//! written back in batches, and one final transaction puts the script at a new revision,
//! releases the lock and publishes ScriptRestored. A restore that dies midway leaves the
//! lock: writers stay out of the half-restored script until another restore finishes it
//! (restoring works from whatever is there, so it always converges).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use aws_sdk_dynamodb::types::WriteRequest;
use chrono::Utc;
use fountain_events::EventEnvelope;
use fountain_scripts::access::{Permission, still_allowed};
use fountain_scripts::caps::Cap;
use fountain_scripts::{RestoreLock, Script};
use fountain_store::keys::{self, ContentKind};
use fountain_store::{
    AttributeValue, Expression, Item, ItemCodec, Label, MAX_BATCH_WRITES, Retry, StoreError, Table,
    Transaction, delete_request, n, number_attribute, put_request, s, string_attribute,
};
use fountain_structure::Siblings;
use futures::{StreamExt, TryStreamExt, stream};

/// Batches in flight at once.
const PARALLEL_BATCHES: usize = 8;
const RETRY: Retry = Retry {
    attempts: 6,
    first_pause: Duration::from_millis(25),
};

/// How long a restore may hold its script before another restore may take over (longer
/// than the restore function's timeout).
pub const LEASE: chrono::Duration = chrono::Duration::seconds(150);

/// The writes that turn the current content into the snapshot's, leaving equal items alone.
#[derive(Debug, Default)]
pub struct RestorePlan {
    pub puts: Vec<Item>,
    /// Keys.
    pub deletes: Vec<Item>,
}

fn revision(item: Option<&Item>) -> u64 {
    item.and_then(|i| number_attribute(i, "revision"))
        .unwrap_or(0)
}

/// Equal apart from the revision: a revision never goes back, so it is not restored.
fn same_content(a: &Item, b: &Item) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(name, value)| name == "revision" || b.get(name) == Some(value))
}

fn key_of(item: &Item) -> Item {
    item.iter()
        .filter(|(name, _)| *name == "pk" || *name == "sk")
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

impl RestorePlan {
    /// Plans going from `current` to `target` (content items of `script_id`, the script
    /// item itself excepted: the final transaction writes it). Changed items get a
    /// revision above both, so ETags read before the restore are stale after it; every
    /// order with a child written or deleted moves its revision on.
    pub fn new(script_id: &str, current: &[Item], target: &[Item]) -> Self {
        let by_sk = |items: &'_ [Item]| -> HashMap<String, Item> {
            items
                .iter()
                .filter_map(|item| Some((string_attribute(item, "sk")?.to_owned(), item.clone())))
                .filter(|(sk, _)| sk != Script::SK)
                .collect()
        };
        let (current, target) = (by_sk(current), by_sk(target));
        let order_of = |sk: &str, item: &Item| -> Option<String> {
            match ContentKind::of(sk)? {
                ContentKind::Section(_) => {
                    Some(Siblings::sections(script_id).order_item_sk().to_owned())
                }
                ContentKind::Element(_) => {
                    let section = string_attribute(item, "sectionId")?;
                    Some(
                        Siblings::elements(script_id, section)
                            .order_item_sk()
                            .to_owned(),
                    )
                }
                _ => None,
            }
        };
        let is_order = |sk: &str| ContentKind::of(sk).is_some_and(ContentKind::is_order);
        let mut plan = Self::default();
        let mut touched = HashSet::new();
        for (sk, wanted) in target.iter().filter(|(sk, _)| !is_order(sk)) {
            let now = current.get(sk);
            if now.is_some_and(|now| same_content(now, wanted)) {
                continue;
            }
            let mut item = wanted.clone();
            if now.is_some() && item.contains_key("revision") {
                let next = revision(now).max(revision(Some(wanted))) + 1;
                item.insert("revision".into(), n(next));
            }
            touched.extend(order_of(sk, wanted));
            touched.extend(now.and_then(|now| order_of(sk, now)));
            plan.puts.push(item);
        }
        for (sk, now) in current.iter().filter(|(sk, _)| !is_order(sk)) {
            if !target.contains_key(sk) {
                touched.extend(order_of(sk, now));
                plan.deletes.push(key_of(now));
            }
        }
        // An order lives while its parent does; its revision only grows.
        let parent_kept = |order_sk: &str| match ContentKind::of(order_sk) {
            Some(ContentKind::ElementOrder(section)) => {
                target.contains_key(&keys::section(section))
            }
            _ => true,
        };
        let orders: HashSet<&String> = target
            .keys()
            .chain(current.keys())
            .filter(|sk| is_order(sk))
            .chain(touched.iter())
            .collect();
        for sk in orders {
            let now = current.get(sk.as_str());
            if !parent_kept(sk) {
                plan.deletes.extend(now.map(key_of));
            } else if now.is_none() || touched.contains(sk.as_str()) {
                let next = revision(now).max(revision(target.get(sk.as_str()))) + 1;
                plan.puts.push(Item::from([
                    ("pk".into(), s(Script::pk(script_id))),
                    ("sk".into(), s(sk.as_str())),
                    ("revision".into(), n(next)),
                ]));
            }
        }
        plan
    }

    pub async fn apply(self, table: &Table) -> Result<(), StoreError> {
        let requests = self
            .puts
            .into_iter()
            .map(put_request)
            .chain(self.deletes.into_iter().map(delete_request))
            .collect::<Result<Vec<_>, _>>()?;
        // Owned batches and futures built up front: a borrowing closure inside the stream
        // would not be `Send` for every lifetime, which the Lambda runtime needs.
        let batches: Vec<Vec<WriteRequest>> = requests
            .chunks(MAX_BATCH_WRITES)
            .map(<[WriteRequest]>::to_vec)
            .collect();
        let writes: Vec<_> = batches
            .into_iter()
            .map(|batch| table.write_batch(batch, RETRY))
            .collect();
        stream::iter(writes)
            .buffer_unordered(PARALLEL_BATCHES)
            .try_collect::<Vec<()>>()
            .await?;
        Ok(())
    }
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("the script is gone")]
    ScriptGone,
    #[error("a restore holds the script")]
    Held(RestoreLock),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn lock_value(lock: &RestoreLock) -> AttributeValue {
    AttributeValue::M(HashMap::from([
        ("lockId".into(), s(&lock.lock_id)),
        ("versionId".into(), s(&lock.version_id)),
        ("untilMs".into(), n(lock.until_ms)),
    ]))
}

/// Takes the script for a restore of `version_id`: free, or held by a restore whose lease
/// ran out.
pub async fn lock(
    table: &Table,
    script_id: &str,
    version_id: &str,
) -> Result<RestoreLock, LockError> {
    let now = Utc::now();
    let lock = RestoreLock {
        lock_id: fountain_events::ids::new_id(),
        version_id: version_id.to_owned(),
        until_ms: (now + LEASE).timestamp_millis(),
    };
    let taken = table
        .client
        .update_item()
        .table_name(&table.name)
        .key("pk", s(Script::pk(script_id)))
        .key("sk", s(Script::SK))
        .update_expression("SET restoreLock = :lock")
        .condition_expression(
            "attribute_exists(pk) AND (attribute_not_exists(restoreLock) OR restoreLock.untilMs < :now)",
        )
        .expression_attribute_values(":lock", lock_value(&lock))
        .expression_attribute_values(":now", n(now.timestamp_millis()))
        .send()
        .await
        .map_err(StoreError::from_sdk);
    match taken {
        Ok(_) => Ok(lock),
        Err(StoreError::ConditionFailed) => {
            match fountain_scripts::load_script(table, script_id).await? {
                Some(Script {
                    restore_lock: Some(held),
                    ..
                }) => Err(LockError::Held(held)),
                _ => Err(LockError::ScriptGone),
            }
        }
        Err(other) => Err(other.into()),
    }
}

/// Ends the lease of a failed restore at once, keeping the lock: writers stay out of the
/// half-restored script, and the next restore takes over without waiting.
pub async fn give_up(table: &Table, script_id: &str, lock: &RestoreLock) {
    let result = table
        .client
        .update_item()
        .table_name(&table.name)
        .key("pk", s(Script::pk(script_id)))
        .key("sk", s(Script::SK))
        .update_expression("SET restoreLock.untilMs = :zero")
        .condition_expression("restoreLock.lockId = :lock")
        .expression_attribute_values(":zero", n(0))
        .expression_attribute_values(":lock", s(&lock.lock_id))
        .send()
        .await;
    if let Err(error) = result {
        tracing::warn!(script_id, error = %StoreError::from_sdk(error), "lease of a failed restore not ended");
    }
}

/// Another restore took the script over.
pub const LOCK_LOST: Label = Label::new("restore lock lost");

/// Puts the restored script (only while `lock` still holds it, else [`LOCK_LOST`]; the put
/// drops the lock), if the caller may still write, with its event and its `elements` count.
pub async fn finish(
    table: &Table,
    user_id: &str,
    script: &Script,
    elements: u64,
    lock: &RestoreLock,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let [_, (member, role)] = still_allowed(&script.script_id, user_id, Permission::Write);
    let (counter, restored_count) = Cap::Elements.set(&script.script_id, elements);
    Transaction::new()
        .update(counter, restored_count, None)
        .put(
            script.to_item()?,
            Some(
                Expression::new("restoreLock.lockId = :lock")
                    .value(":lock", s(&lock.lock_id))
                    .labelled(LOCK_LOST),
            ),
        )
        .check(member, role)
        .event(event)?
        .commit(table)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn element(id: &str, section: &str, text_value: &str, rev: u64) -> Item {
        item(&[
            ("pk", s(keys::script("x"))),
            ("sk", s(keys::element(id))),
            ("sectionId", s(section)),
            ("text", s(text_value)),
            ("revision", n(rev)),
        ])
    }

    fn order(sk: &str, rev: u64) -> Item {
        item(&[
            ("pk", s(keys::script("x"))),
            ("sk", s(sk)),
            ("revision", n(rev)),
        ])
    }

    fn section(id: &str) -> Item {
        item(&[
            ("pk", s(keys::script("x"))),
            ("sk", s(keys::section(id))),
            ("revision", n(1)),
        ])
    }

    fn sks(items: &[Item]) -> Vec<String> {
        let mut sks: Vec<String> = items
            .iter()
            .filter_map(|i| string_attribute(i, "sk"))
            .map(str::to_owned)
            .collect();
        sks.sort();
        sks
    }

    #[test]
    fn only_what_differs_is_written_and_touched_orders_move_on() {
        let current = vec![
            section("a"),
            order(keys::ORDER_SECTIONS_SK, 3),
            order(&keys::order_elements("a"), 7),
            element("1", "a", "same", 2),
            element("2", "a", "edited later", 5),
            element("3", "a", "added later", 1),
        ];
        let target = vec![
            section("a"),
            order(keys::ORDER_SECTIONS_SK, 3),
            order(&keys::order_elements("a"), 4),
            element("1", "a", "same", 2),
            element("2", "a", "original", 3),
            element("4", "a", "deleted later", 1),
        ];
        let plan = RestorePlan::new("x", &current, &target);
        assert_eq!(
            sks(&plan.puts),
            [
                keys::element("2"),
                keys::element("4"),
                keys::order_elements("a")
            ]
        );
        assert_eq!(sks(&plan.deletes), [keys::element("3")]);
        let revision_of = |sk: &str| {
            revision(
                plan.puts
                    .iter()
                    .find(|i| string_attribute(i, "sk") == Some(sk)),
            )
        };
        assert_eq!(revision_of(&keys::element("2")), 6, "above the current 5");
        assert_eq!(
            revision_of(&keys::order_elements("a")),
            8,
            "above the current 7"
        );
    }

    #[test]
    fn a_section_the_version_lacks_goes_with_its_order() {
        let current = vec![
            section("a"),
            section("b"),
            order(keys::ORDER_SECTIONS_SK, 2),
            order(&keys::order_elements("b"), 1),
            element("1", "b", "x", 1),
        ];
        let target = vec![section("a"), order(keys::ORDER_SECTIONS_SK, 1)];
        let plan = RestorePlan::new("x", &current, &target);
        assert_eq!(sks(&plan.puts), [keys::ORDER_SECTIONS_SK]);
        assert_eq!(
            sks(&plan.deletes),
            [
                keys::element("1"),
                keys::order_elements("b"),
                keys::section("b")
            ]
        );
    }

    #[test]
    fn restoring_an_unchanged_script_writes_nothing() {
        let items = vec![
            section("a"),
            order(keys::ORDER_SECTIONS_SK, 1),
            element("1", "a", "x", 1),
        ];
        let plan = RestorePlan::new("x", &items, &items);
        assert!(plan.puts.is_empty() && plan.deletes.is_empty());
    }
}
