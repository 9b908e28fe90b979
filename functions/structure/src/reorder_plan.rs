//! The plan of a reorder too large for one transaction, as the order item holds it while
//! the plan is applied in chunks (see [`crate::pending`]); readers see the order through it.

use std::collections::HashMap;

use chrono::Utc;
use fountain_sequence::{OrderKey, Write};
use fountain_store::{AttributeValue, Item, StoreError, from_item, to_item};
use serde::{Deserialize, Serialize};

/// Most keys one reorder may move: the plan must fit in the order item (400 KB) with keys
/// of the longest kind.
pub const MAX_REORDER_KEYS: usize = 2_000;
/// The order item's attribute holding a plan being applied.
pub const PENDING: &str = "pendingReorder";
/// How long the applier owns a plan. Longer than the reorder functions' timeout (29 s), so
/// no one else applies it while the applier may still be writing.
const LEASE_MS: i64 = 60_000;
/// Key writes per chunk: 100 less the script check and the plan check.
const CHUNK: usize = 98;

/// A committed reorder not yet applied in full (the `pendingReorder` map of the order item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingReorder {
    /// Unique per reorder: the chunks write only while this plan is the pending one.
    pub reorder_id: String,
    /// Epoch milliseconds; after it, the next writer of the order finishes the job.
    pub until_ms: i64,
    pub keys: Vec<PlannedKey>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedKey {
    pub id: String,
    pub key: String,
}

impl PendingReorder {
    pub(crate) fn new(writes: &[Write]) -> Self {
        Self {
            reorder_id: ulid::Ulid::new().to_string(),
            until_ms: Utc::now().timestamp_millis() + LEASE_MS,
            keys: writes
                .iter()
                .map(|write| PlannedKey {
                    id: write.id.clone(),
                    key: write.key.as_str().to_owned(),
                })
                .collect(),
        }
    }

    /// The plan an order item holds, if any.
    pub fn of_order_item(item: &Item) -> Result<Option<Self>, StoreError> {
        let Some(AttributeValue::M(plan)) = item.get(PENDING) else {
            return Ok(None);
        };
        let plan: Self = from_item(plan.clone())?;
        if let Some(bad) = plan.keys.iter().find(|k| OrderKey::parse(&k.key).is_none()) {
            return Err(StoreError::Corrupt(format!(
                "the pending reorder gives {} a malformed key",
                bad.id
            )));
        }
        Ok(Some(plan))
    }

    pub fn to_attribute(&self) -> Result<AttributeValue, StoreError> {
        Ok(AttributeValue::M(to_item(self)?))
    }

    pub(crate) fn expired(&self) -> bool {
        self.until_ms < Utc::now().timestamp_millis()
    }

    /// The order once the plan is applied: `current` (ids with their stored keys) with the
    /// planned keys in place, sorted.
    pub fn applied_to(&self, current: Vec<(String, OrderKey)>) -> Vec<(String, OrderKey)> {
        let planned: HashMap<&str, &str> = self
            .keys
            .iter()
            .map(|k| (k.id.as_str(), k.key.as_str()))
            .collect();
        let mut order: Vec<(String, OrderKey)> = current
            .into_iter()
            .map(|(id, key)| {
                let key = planned
                    .get(id.as_str())
                    .and_then(|planned| OrderKey::parse(planned))
                    .unwrap_or(key);
                (id, key)
            })
            .collect();
        order.sort_by(|a, b| a.1.cmp(&b.1));
        order
    }

    /// The chunks of key writes, in order; the last one also removes the plan.
    pub fn chunks(&self) -> impl Iterator<Item = &[PlannedKey]> {
        // An empty plan still has one (empty) chunk that removes it.
        let empty: &[PlannedKey] = &[];
        let chunks: Vec<&[PlannedKey]> = if self.keys.is_empty() {
            vec![empty]
        } else {
            self.keys.chunks(CHUNK).collect()
        };
        chunks.into_iter()
    }
}
