//! BatchGetItem: up to 100 items by key in one call, strongly consistent. Keys DynamoDB
//! leaves unprocessed are asked for again after a pause that doubles.

use aws_sdk_dynamodb::types::KeysAndAttributes;

use crate::batch::Retry;
use crate::codec::Item;
use crate::error::StoreError;
use crate::table::Table;

/// BatchGetItem's limit.
pub const MAX_BATCH_GETS: usize = 100;

/// How reads retry keys DynamoDB left unprocessed (throttling): five calls, from 25 ms apart.
pub const READ_RETRY: Retry = Retry {
    attempts: 5,
    first_pause: std::time::Duration::from_millis(25),
};

impl Table {
    /// The items of `keys` that exist, in no particular order, read [`MAX_BATCH_GETS`] keys
    /// per call; keys still unprocessed after `retry.attempts` calls are an error (throttling).
    pub async fn get_batch(&self, keys: Vec<Item>, retry: Retry) -> Result<Vec<Item>, StoreError> {
        let mut found = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(MAX_BATCH_GETS) {
            found.extend(self.get_chunk(chunk.to_vec(), retry).await?);
        }
        Ok(found)
    }

    async fn get_chunk(&self, keys: Vec<Item>, retry: Retry) -> Result<Vec<Item>, StoreError> {
        let mut found = Vec::with_capacity(keys.len());
        let mut pending = Some(
            KeysAndAttributes::builder()
                .set_keys(Some(keys))
                .consistent_read(true)
                .build()
                .map_err(|e| StoreError::Invalid(e.to_string()))?,
        );
        for attempt in 0..retry.attempts {
            let Some(request) = pending.take() else {
                break;
            };
            if request.keys.is_empty() {
                break;
            }
            let output = self
                .client
                .batch_get_item()
                .request_items(&self.name, request)
                .send()
                .await
                .map_err(StoreError::from_sdk)?;
            found.extend(
                output
                    .responses
                    .and_then(|mut responses| responses.remove(&self.name))
                    .unwrap_or_default(),
            );
            pending = output
                .unprocessed_keys
                .and_then(|mut unprocessed| unprocessed.remove(&self.name));
            if pending.is_some() {
                tokio::time::sleep(retry.first_pause * (1 << attempt)).await;
            }
        }
        match pending {
            Some(left) if !left.keys.is_empty() => Err(StoreError::Throttled(format!(
                "{} batch reads still unprocessed after {} attempts",
                left.keys.len(),
                retry.attempts
            ))),
            _ => Ok(found),
        }
    }
}
