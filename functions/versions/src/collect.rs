//! Reading a script's content items: what a version holds and a restore replaces.

use std::collections::BTreeMap;

use fountain_store::{AttributeValue, Item, StoreError, Table, string_attribute};
use fountain_structure::content::content_items;
use fountain_structure::pending::settle_items;

/// What tells whether an item changed: every change of content moves a revision (of the
/// item, its parent's order or the script) or a place in an order (`lsi1sk`).
const MARKS: &str = "sk, revision, lsi1sk, restoreLock";

/// How often a snapshot reads again before giving up on a script that keeps changing.
pub const MAX_READS: usize = 4;

/// Why no consistent copy was read.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("a restore holds the script")]
    Restoring,
    #[error("the script kept changing during {MAX_READS} reads")]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A consistent copy of the script's content, taken without stopping its writers: read
/// everything, then only the marks; when no mark moved in between, the first read is a
/// state the script was in, because every change moves a mark of an item it touches and
/// revisions only grow. Otherwise read again, up to [`MAX_READS`] times.
pub async fn consistent_content(table: &Table, script_id: &str) -> Result<Vec<Item>, CollectError> {
    let mut items = content_items(table, script_id, None).await?;
    for _ in 1..MAX_READS {
        if items.iter().any(|item| item.contains_key("restoreLock")) {
            return Err(CollectError::Restoring);
        }
        let marks = content_items(table, script_id, Some(MARKS)).await?;
        if fingerprint(&items) == fingerprint(&marks) {
            // A reorder past its commit point is part of the state, applied or not.
            settle_items(&mut items)?;
            return Ok(items);
        }
        items = content_items(table, script_id, None).await?;
    }
    Err(CollectError::Busy)
}

type Marks<'a> = BTreeMap<&'a str, [Option<&'a AttributeValue>; 3]>;

fn fingerprint(items: &[Item]) -> Marks<'_> {
    items
        .iter()
        .filter_map(|item| {
            Some((
                string_attribute(item, "sk")?,
                [
                    item.get("revision"),
                    item.get("lsi1sk"),
                    item.get("restoreLock"),
                ],
            ))
        })
        .collect()
}
