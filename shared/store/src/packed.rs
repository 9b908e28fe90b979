//! Values too large for one item: JSON, gzip-compressed, cut into chunks that each fit in
//! one DynamoDB item (400 KB) with room to spare.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::Serialize;
use serde::de::DeserializeOwned;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::error::StoreError;
use crate::table::Table;

/// Bytes of compressed data per chunk item.
pub const CHUNK_BYTES: usize = 350_000;

/// A packed value and its sizes.
#[derive(Debug)]
pub struct Packed {
    pub chunks: Vec<Vec<u8>>,
    pub json_bytes: usize,
    pub stored_bytes: usize,
}

pub fn pack<T: Serialize>(value: &T) -> Result<Packed, StoreError> {
    let json = serde_json::to_vec(value).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder
        .write_all(&json)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let compressed = encoder
        .finish()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(Packed {
        chunks: compressed.chunks(CHUNK_BYTES).map(<[u8]>::to_vec).collect(),
        json_bytes: json.len(),
        stored_bytes: compressed.len(),
    })
}

/// The value packed in `chunks` (in order); damage is [`StoreError::Corrupt`].
pub fn unpack<T: DeserializeOwned>(chunks: &[Vec<u8>], what: &str) -> Result<T, StoreError> {
    let compressed = chunks.concat();
    let mut json = Vec::new();
    GzDecoder::new(compressed.as_slice())
        .read_to_end(&mut json)
        .map_err(|e| StoreError::Corrupt(format!("{what} does not decompress: {e}")))?;
    serde_json::from_slice(&json)
        .map_err(|e| StoreError::Corrupt(format!("{what} does not decode: {e}")))
}

impl Table {
    /// The `data` of every item under `sk_prefix` in partition `pk`, in key order: the
    /// chunks of a packed value (strongly consistent, all pages).
    pub async fn packed_chunks(
        &self,
        pk: &str,
        sk_prefix: &str,
    ) -> Result<Vec<Vec<u8>>, StoreError> {
        self.query_all(self.query_prefix(pk, sk_prefix))
            .await?
            .into_iter()
            .map(|item| match item.get("data") {
                Some(AttributeValue::B(blob)) => Ok(blob.clone().into_inner()),
                _ => Err(StoreError::Corrupt(format!(
                    "a chunk under {sk_prefix} without data"
                ))),
            })
            .collect()
    }
}
