//! Per-user rate limiting: one counter item per user and minute (`RATE#<user>` /
//! `<minute>`), incremented with a conditional ADD, so every Lambda instance shares it.

use chrono::Utc;
use fountain_store::{StoreError, Table, keys, n, s};

/// Counters outlive their minute by this much, then TTL removes them.
const KEEP_SECONDS: i64 = 120;

/// Counts one request of `user_id`; `Some(seconds until the next minute)` when the minute's
/// `limit` is used up.
pub async fn admit(table: &Table, user_id: &str, limit: u64) -> Result<Option<u64>, StoreError> {
    let now = Utc::now().timestamp();
    let minute = now / 60;
    let result = table
        .client
        .update_item()
        .table_name(&table.name)
        .key("pk", s(keys::rate(user_id)))
        .key("sk", s(minute.to_string()))
        .update_expression("ADD hits :one SET expiresAt = :expires")
        .condition_expression("attribute_not_exists(hits) OR hits < :limit")
        .expression_attribute_values(":one", n(1))
        .expression_attribute_values(":limit", n(limit))
        .expression_attribute_values(":expires", n(now + KEEP_SECONDS))
        .send()
        .await
        .map_err(StoreError::from_sdk);
    match result {
        Ok(_) => Ok(None),
        Err(StoreError::ConditionFailed) => Ok(Some((60 - now % 60).max(1) as u64)),
        Err(other) => Err(other),
    }
}
