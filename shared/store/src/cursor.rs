//! Opaque pagination cursors: DynamoDB's LastEvaluatedKey, base64url-encoded, and checked on
//! the way back in so a cursor can only continue the listing it came from.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use crate::PK;
use crate::codec::ItemCodec;
use crate::error::StoreError;

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid cursor")]
pub struct CursorError;

pub struct Cursor;

/// The cursor entry that carries a numbered listing's offset.
const OFFSET: &str = "__offset";

impl Cursor {
    /// Encodes a LastEvaluatedKey (string attributes only, as all our keys are).
    pub fn encode(key: &HashMap<String, AttributeValue>) -> Option<String> {
        let plain: BTreeMap<&str, &str> = key
            .iter()
            .map(|(name, value)| value.as_s().ok().map(|v| (name.as_str(), v.as_str())))
            .collect::<Option<_>>()?;
        let json = serde_json::to_vec(&plain).ok()?;
        Some(URL_SAFE_NO_PAD.encode(json))
    }

    /// Encodes a LastEvaluatedKey with the number of items listed before it, for listings
    /// that number their items.
    pub fn encode_at(key: &HashMap<String, AttributeValue>, offset: usize) -> Option<String> {
        let mut key = key.clone();
        key.insert(OFFSET.to_owned(), AttributeValue::S(offset.to_string()));
        Self::encode(&key)
    }

    /// Decodes a cursor of [`Cursor::encode_at`]: the key and the offset.
    pub fn decode_at(
        cursor: &str,
        partition_name: &str,
        partition_value: &str,
    ) -> Result<(HashMap<String, AttributeValue>, usize), CursorError> {
        let mut key = Self::decode(cursor, partition_name, partition_value)?;
        let offset = key
            .remove(OFFSET)
            .and_then(|v| v.as_s().ok().and_then(|s| s.parse().ok()))
            .ok_or(CursorError)?;
        Ok((key, offset))
    }

    /// Checks that `cursor` continues one listing of partition `pk = partition`: a key of
    /// exactly `key_attributes` (its table's or index's) whose `attribute` starts with
    /// `prefix`. Any other is refused, where DynamoDB would fail with an error of its own or
    /// continue elsewhere.
    pub fn continues_listing(
        cursor: &str,
        partition: &str,
        attribute: &str,
        prefix: &str,
        key_attributes: &[&str],
    ) -> Result<(), CursorError> {
        let key = Self::decode(cursor, PK, partition)?;
        let in_range = key
            .get(attribute)
            .and_then(|value| value.as_s().ok())
            .is_some_and(|value| value.starts_with(prefix));
        let same_key = key.len() == key_attributes.len()
            && key_attributes.iter().all(|a| key.contains_key(*a));
        if in_range && same_key {
            Ok(())
        } else {
            Err(CursorError)
        }
    }

    /// Decodes a cursor, requiring `partition_name` to equal `partition_value`, so a cursor
    /// from another listing (or another user's) cannot be replayed here.
    pub fn decode(
        cursor: &str,
        partition_name: &str,
        partition_value: &str,
    ) -> Result<HashMap<String, AttributeValue>, CursorError> {
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| CursorError)?;
        let plain: BTreeMap<String, String> =
            serde_json::from_slice(&bytes).map_err(|_| CursorError)?;
        if plain.get(partition_name).map(String::as_str) != Some(partition_value) {
            return Err(CursorError);
        }
        // Every LastEvaluatedKey holds the table's keys, whatever index it was read from.
        if !plain.contains_key(crate::PK) || !plain.contains_key(crate::SK) {
            return Err(CursorError);
        }
        Ok(plain
            .into_iter()
            .map(|(name, value)| (name, AttributeValue::S(value)))
            .collect())
    }
}

/// Why a page could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error(transparent)]
    Cursor(#[from] CursorError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Runs `query` (its table, index and key condition already set) for one page of at most
/// `limit` items after `cursor`, which must come from the partition `partition.0 = partition.1`.
pub async fn query_page<T: ItemCodec>(
    query: QueryFluentBuilder,
    partition: (&str, &str),
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<T>, PageError> {
    let start = cursor
        .map(|c| Cursor::decode(c, partition.0, partition.1))
        .transpose()?;
    let given = start.is_some();
    let output = match query
        .limit(limit)
        .set_exclusive_start_key(start)
        .send()
        .await
        .map_err(StoreError::from_sdk)
    {
        Ok(output) => output,
        // DynamoDB refuses a start key that is not one of this query's: a crafted cursor.
        Err(StoreError::Invalid(_)) if given => return Err(CursorError.into()),
        Err(e) => return Err(e.into()),
    };
    let items = output
        .items
        .unwrap_or_default()
        .into_iter()
        .map(T::from_item)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        items,
        next_cursor: output.last_evaluated_key.as_ref().and_then(Cursor::encode),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys;

    fn key() -> HashMap<String, AttributeValue> {
        HashMap::from([
            ("pk".to_owned(), AttributeValue::S(keys::script("1"))),
            ("sk".to_owned(), AttributeValue::S(keys::character("2"))),
        ])
    }

    #[test]
    fn a_cursor_decodes_back_to_its_key_for_the_same_listing() {
        let cursor = Cursor::encode(&key()).unwrap();
        assert_eq!(
            Cursor::decode(&cursor, "pk", &keys::script("1")).unwrap(),
            key()
        );
    }

    #[test]
    fn a_cursor_from_another_listing_or_garbage_is_refused() {
        let cursor = Cursor::encode(&key()).unwrap();
        assert_eq!(
            Cursor::decode(&cursor, "pk", &keys::script("9")),
            Err(CursorError)
        );
        assert_eq!(
            Cursor::decode("!!!", "pk", &keys::script("1")),
            Err(CursorError)
        );
        assert_eq!(
            Cursor::decode("e30", "pk", &keys::script("1")),
            Err(CursorError)
        );
    }
}
