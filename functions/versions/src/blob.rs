//! A snapshot as stored: JSON, gzip-compressed, cut into chunks that each fit in one
//! DynamoDB item (400 KB) with room to spare.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use fountain_store::StoreError;

use crate::snapshot::{FORMAT, Snapshot};

/// Bytes of compressed data per chunk item.
pub const CHUNK_BYTES: usize = 350_000;

/// A packed snapshot and its sizes.
#[derive(Debug)]
pub struct Packed {
    pub chunks: Vec<Vec<u8>>,
    pub json_bytes: usize,
    pub stored_bytes: usize,
}

pub fn pack(snapshot: &Snapshot) -> Result<Packed, StoreError> {
    let json = serde_json::to_vec(snapshot).map_err(|e| StoreError::Invalid(e.to_string()))?;
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

pub fn unpack(chunks: &[Vec<u8>]) -> Result<Snapshot, StoreError> {
    let compressed = chunks.concat();
    let mut json = Vec::new();
    GzDecoder::new(compressed.as_slice())
        .read_to_end(&mut json)
        .map_err(|e| StoreError::Corrupt(format!("snapshot does not decompress: {e}")))?;
    let snapshot: Snapshot = serde_json::from_slice(&json)
        .map_err(|e| StoreError::Corrupt(format!("snapshot does not decode: {e}")))?;
    if snapshot.format != FORMAT {
        return Err(StoreError::Corrupt(format!(
            "snapshot format {} is unknown",
            snapshot.format
        )));
    }
    Ok(snapshot)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn a_snapshot_survives_packing_and_large_ones_are_chunked() {
        // Hex of scrambled numbers: text that compresses about as badly as prose.
        let scrambled = |i: u64, k: u64| (i * 4 + k).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let items = (0..20_000u64)
            .map(|i| {
                let text: String = (0..4)
                    .map(|k| format!("{:016x}", scrambled(i, k)))
                    .collect();
                json!({ "pk": "SCRIPT#s", "sk": format!("ELEMENT#{i:08}"), "text": text })
            })
            .collect();
        let snapshot = Snapshot {
            format: FORMAT,
            items,
        };
        let packed = pack(&snapshot).unwrap();
        assert!(packed.stored_bytes < packed.json_bytes);
        assert!(packed.chunks.len() > 1, "{} bytes", packed.stored_bytes);
        assert!(packed.chunks.iter().all(|c| c.len() <= CHUNK_BYTES));
        assert_eq!(unpack(&packed.chunks).unwrap(), snapshot);
    }

    #[test]
    fn a_damaged_snapshot_is_an_error_not_a_panic() {
        let packed = pack(&Snapshot {
            format: FORMAT,
            items: vec![],
        })
        .unwrap();
        let mut damaged = packed.chunks.concat();
        damaged.truncate(damaged.len() / 2);
        assert!(unpack(&[damaged]).is_err());
    }
}
