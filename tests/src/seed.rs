//! Large scripts written straight into the table (through the same item codecs the
//! functions use), so tests and benchmarks need not make 10,000 API calls first.

use std::time::Duration;

use chrono::Utc;
use fountain_sequence::{OrderKey, spread};
use fountain_store::{Item, ItemCodec, MAX_BATCH_WRITES, Retry, Table, n, put_request, s};
use fountain_structure::{Content, Element, ElementKind, Siblings};

/// Adds `count` action elements ("line 1", "line 2", ...) to an empty section, with evenly
/// spread order keys, and its order revision; returns their ids in order.
pub async fn elements(
    table: &Table,
    script_id: &str,
    section_id: &str,
    count: usize,
) -> Vec<String> {
    elements_with_keys(table, script_id, section_id, spread(count)).await
}

/// Adds one action element per key (ascending) to an empty section, and its order revision;
/// returns their ids in order.
pub async fn elements_with_keys(
    table: &Table,
    script_id: &str,
    section_id: &str,
    keys: Vec<OrderKey>,
) -> Vec<String> {
    let now = Utc::now();
    let mut ids = Vec::with_capacity(keys.len());
    let mut items: Vec<Item> = Vec::with_capacity(keys.len() + 1);
    for (i, key) in keys.into_iter().enumerate() {
        let element = Element {
            element_id: fountain_events::ids::new_id(),
            script_id: script_id.to_owned(),
            section_id: section_id.to_owned(),
            content: Content {
                kind: ElementKind::Action,
                text: format!("line {} of the seeded scene, with a few words more", i + 1),
                character_id: None,
                parenthetical: None,
                extension: None,
                dual: false,
            },
            revision: 1,
            created_at: now,
            updated_at: now,
            comment: None,
            order_key: key.as_str().to_owned(),
        };
        ids.push(element.element_id.clone());
        items.push(element.to_item().unwrap());
    }
    let siblings = Siblings::elements(script_id, section_id);
    items.push(Item::from([
        ("pk".to_owned(), s(siblings.pk())),
        ("sk".to_owned(), s(siblings.order_item_sk())),
        ("revision".to_owned(), n(1)),
    ]));
    let retry = Retry {
        attempts: 10,
        first_pause: Duration::from_millis(10),
    };
    for batch in items.chunks(MAX_BATCH_WRITES) {
        let requests = batch
            .iter()
            .cloned()
            .map(put_request)
            .collect::<Result<_, _>>()
            .unwrap();
        table.write_batch(requests, retry).await.unwrap();
    }
    ids
}
