//! BatchWriteItem: up to 25 unconditional puts and deletes in one call. Under load DynamoDB
//! leaves some of them unprocessed; those are sent again after a pause that doubles.

use std::time::Duration;

use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};

use crate::codec::Item;
use crate::error::StoreError;
use crate::table::Table;

/// BatchWriteItem's limit.
pub const MAX_BATCH_WRITES: usize = 25;

/// How many times a batch is sent, and the pause after the first unfinished attempt.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub attempts: u32,
    pub first_pause: Duration,
}

pub fn put_request(item: Item) -> Result<WriteRequest, StoreError> {
    let put = PutRequest::builder()
        .set_item(Some(item))
        .build()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(WriteRequest::builder().put_request(put).build())
}

pub fn delete_request(key: Item) -> Result<WriteRequest, StoreError> {
    let delete = DeleteRequest::builder()
        .set_key(Some(key))
        .build()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(WriteRequest::builder().delete_request(delete).build())
}

impl Table {
    /// Writes one batch (at most [`MAX_BATCH_WRITES`] requests); what is still unprocessed
    /// after `retry.attempts` sends is an error (throttling).
    pub async fn write_batch(
        &self,
        mut requests: Vec<WriteRequest>,
        retry: Retry,
    ) -> Result<(), StoreError> {
        for attempt in 0..retry.attempts {
            let output = self
                .client
                .batch_write_item()
                .request_items(&self.name, requests)
                .send()
                .await
                .map_err(StoreError::from_sdk)?;
            requests = output
                .unprocessed_items
                .and_then(|mut unprocessed| unprocessed.remove(&self.name))
                .unwrap_or_default();
            if requests.is_empty() {
                return Ok(());
            }
            tokio::time::sleep(retry.first_pause * (1 << attempt)).await;
        }
        Err(StoreError::Throttled(format!(
            "{} batch writes still unprocessed after {} attempts",
            requests.len(),
            retry.attempts
        )))
    }

    /// Deletes the items with these keys (`pk` and `sk` only), [`MAX_BATCH_WRITES`] at a
    /// time; deleting what is gone already is no error.
    pub async fn delete_keys(&self, keys: &[Item], retry: Retry) -> Result<(), StoreError> {
        for chunk in keys.chunks(MAX_BATCH_WRITES) {
            let requests = chunk
                .iter()
                .map(|key| delete_request(key.clone()))
                .collect::<Result<Vec<_>, _>>()?;
            self.write_batch(requests, retry).await?;
        }
        Ok(())
    }

    /// Deletes every item of partition `pk` but those whose sort key is in `keep`, a page of
    /// keys at a time; returns how many it deleted. Run again, it deletes what is left.
    pub async fn delete_partition(
        &self,
        pk: &str,
        keep: &[&str],
        retry: Retry,
    ) -> Result<usize, StoreError> {
        let mut start: Option<Item> = None;
        let mut removed = 0;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.name)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", crate::s(pk))
                .projection_expression("pk, sk")
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(StoreError::from_sdk)?;
            let keys: Vec<Item> = output
                .items
                .unwrap_or_default()
                .into_iter()
                .filter(|key| {
                    let sk = key.get("sk").and_then(|v| v.as_s().ok());
                    !sk.is_some_and(|sk| keep.contains(&sk.as_str()))
                })
                .collect();
            self.delete_keys(&keys, retry).await?;
            removed += keys.len();
            match output.last_evaluated_key {
                Some(key) => start = Some(key),
                None => return Ok(removed),
            }
        }
    }
}
