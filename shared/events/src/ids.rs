//! Sortable, opaque identifiers (ULID). One monotonic generator per process keeps ids created
//! in the same millisecond in creation order, which the event store relies on.

use std::sync::Mutex;
use ulid::{Generator, Ulid};

static GENERATOR: Mutex<Option<Generator>> = Mutex::new(None);

/// A new ULID, strictly greater than every other id made by this process.
pub fn new_id() -> String {
    let mut guard = match GENERATOR.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    let generator = guard.get_or_insert_with(Generator::new);
    // Overflow needs 2^80 ids in one millisecond; a fresh random id is then the right answer.
    generator
        .generate()
        .unwrap_or_else(|_| Ulid::new())
        .to_string()
}

/// True when `value` is a well-formed ULID.
pub fn is_id(value: &str) -> bool {
    Ulid::from_string(value).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_made_in_a_row_sort_in_creation_order() {
        let ids: Vec<String> = (0..1000).map(|_| new_id()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert!(ids.iter().all(|id| is_id(id)));
    }

    #[test]
    fn rejects_malformed_ids() {
        assert!(!is_id("not-a-ulid"));
        assert!(!is_id(""));
    }
}
