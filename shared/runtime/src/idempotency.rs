//! Idempotent event handling: before a consumer acts on an event it claims the event id with a
//! conditional write. A completed claim makes a redelivery a no-op; a claim whose handler
//! failed is released so the retry can act; a claim left by a crashed invocation expires
//! after its lease.

use chrono::{Duration, Utc};
use fountain_store::{AttributeValue, Expression, StoreError, Table, keys, n, s};

const IN_PROGRESS: &str = "IN_PROGRESS";
const COMPLETED: &str = "COMPLETED";
/// How long completed claims are kept (TTL): longer than any redelivery window.
const RETENTION_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This invocation owns the event and must act on it.
    Acquired,
    /// The event was handled already.
    AlreadyDone,
    /// Another invocation is handling it right now; retry later.
    Busy,
}

#[derive(Debug, Clone)]
pub struct Idempotency {
    table: Table,
    consumer: String,
    lease: Duration,
}

impl Idempotency {
    /// `lease` should exceed the consumer's function timeout.
    pub fn new(table: Table, consumer: impl Into<String>, lease: Duration) -> Self {
        Self {
            table,
            consumer: consumer.into(),
            lease,
        }
    }

    fn pk(&self, event_id: &str) -> String {
        keys::idempotency(&self.consumer, event_id)
    }

    pub async fn claim(&self, event_id: &str) -> Result<Claim, StoreError> {
        let now = Utc::now();
        let key = Table::key(self.pk(event_id), keys::IDEMPOTENCY_SK);
        let mut item = key.clone();
        item.insert("status".into(), s(IN_PROGRESS));
        item.insert(
            "leaseUntil".into(),
            n((now + self.lease).timestamp_millis()),
        );
        item.insert(
            "expiresAt".into(),
            n((now + Duration::days(RETENTION_DAYS)).timestamp()),
        );
        let condition = Expression::new(
            "attribute_not_exists(pk) OR (#status = :in_progress AND leaseUntil < :now)",
        )
        .name("#status", "status")
        .value(":in_progress", s(IN_PROGRESS))
        .value(":now", n(now.timestamp_millis()));
        let result = self
            .table
            .client
            .put_item()
            .table_name(&self.table.name)
            .set_item(Some(item))
            .condition_expression(condition.text)
            .set_expression_attribute_names(Some(condition.names))
            .set_expression_attribute_values(Some(condition.values))
            .send()
            .await;
        match result.map_err(StoreError::from_sdk) {
            Ok(_) => Ok(Claim::Acquired),
            Err(StoreError::ConditionFailed) => {
                let existing = self
                    .table
                    .get(&self.pk(event_id), keys::IDEMPOTENCY_SK)
                    .await?;
                let status = existing
                    .as_ref()
                    .and_then(|item| item.get("status"))
                    .and_then(|v| v.as_s().ok());
                Ok(if status.map(String::as_str) == Some(COMPLETED) {
                    Claim::AlreadyDone
                } else {
                    Claim::Busy
                })
            }
            Err(other) => Err(other),
        }
    }

    pub async fn complete(&self, event_id: &str) -> Result<(), StoreError> {
        self.table
            .client
            .update_item()
            .table_name(&self.table.name)
            .set_key(Some(Table::key(self.pk(event_id), keys::IDEMPOTENCY_SK)))
            .update_expression("SET #status = :completed REMOVE leaseUntil")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":completed", AttributeValue::S(COMPLETED.into()))
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }

    /// Gives the event up after a failed attempt so the retry can claim it at once.
    pub async fn release(&self, event_id: &str) -> Result<(), StoreError> {
        self.table
            .client
            .delete_item()
            .table_name(&self.table.name)
            .set_key(Some(Table::key(self.pk(event_id), keys::IDEMPOTENCY_SK)))
            .condition_expression("#status = :in_progress")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":in_progress", AttributeValue::S(IN_PROGRESS.into()))
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }
}
