//! A snapshot as stored: packed (`fountain_store::pack`), with its format checked on the
//! way back.

use fountain_store::{Packed, StoreError};

use crate::snapshot::{FORMAT, Snapshot};

pub fn pack(snapshot: &Snapshot) -> Result<Packed, StoreError> {
    fountain_store::pack(snapshot)
}

pub fn unpack(chunks: &[Vec<u8>]) -> Result<Snapshot, StoreError> {
    let snapshot: Snapshot = fountain_store::unpack(chunks, "snapshot")?;
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
    use fountain_store::{CHUNK_BYTES, keys};
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
                let (pk, sk) = (keys::script("s"), keys::element(&format!("{i:08}")));
                json!({ "pk": pk, "sk": sk, "text": text })
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
