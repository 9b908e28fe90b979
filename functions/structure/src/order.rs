//! Reading a parent's children in order, and the parent's order revision: the number every
//! change of order increments, conditioned on the value it read.

use fountain_scripts::Script;
use fountain_sequence::OrderKey;
use fountain_store::{Expression, Item, ItemCodec, LSI1, LSI1_SK, StoreError, Table, n, s};

use crate::model::Section;

/// The item holding the order revision of a script's sections.
pub fn sections_order_key(script_id: &str) -> Item {
    Table::key(Script::pk(script_id), "ORDER#SECTIONS")
}

pub async fn revision(table: &Table, script_id: &str) -> Result<u64, StoreError> {
    Ok(table
        .get(&Script::pk(script_id), "ORDER#SECTIONS")
        .await?
        .and_then(|item| {
            item.get("revision")
                .and_then(|v| v.as_n().ok())
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0))
}

/// The update that moves the order revision from `seen` to `seen + 1`, refused when another
/// change got there first.
pub fn bump(seen: u64) -> (Expression, &'static str) {
    let update = Expression::new("SET revision = :next").value(":next", n(seen + 1));
    if seen == 0 {
        (update, "attribute_not_exists(revision)")
    } else {
        (update.value(":seen", n(seen)), "revision = :seen")
    }
}

/// Every section of the script, in order (strongly consistent, all pages).
pub async fn sections(table: &Table, script_id: &str) -> Result<Vec<Section>, StoreError> {
    let mut sections = Vec::new();
    let mut start = None;
    loop {
        let output = table
            .client
            .query()
            .table_name(&table.name)
            .index_name(LSI1)
            .key_condition_expression("pk = :pk AND begins_with(#order, :prefix)")
            .expression_attribute_names("#order", LSI1_SK)
            .expression_attribute_values(":pk", s(Script::pk(script_id)))
            .expression_attribute_values(":prefix", s(Section::ORDER_PREFIX))
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        for item in output.items.unwrap_or_default() {
            sections.push(Section::from_item(item)?);
        }
        match output.last_evaluated_key {
            Some(key) => start = Some(key),
            None => return Ok(sections),
        }
    }
}

/// The children as the sequence planner takes them: ids with their keys, in order.
pub fn keyed(sections: &[Section]) -> Result<Vec<(String, OrderKey)>, StoreError> {
    sections
        .iter()
        .map(|section| {
            section
                .key()
                .map(|key| (section.section_id.clone(), key))
                .ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "section {} has a malformed order key",
                        section.section_id
                    ))
                })
        })
        .collect()
}

/// The sequence number of the section with `order_key`: one more than the sections before it.
pub async fn sequence_of(
    table: &Table,
    script_id: &str,
    order_key: &str,
) -> Result<usize, StoreError> {
    let mut before = 0usize;
    let mut start = None;
    loop {
        let output = table
            .client
            .query()
            .table_name(&table.name)
            .index_name(LSI1)
            .key_condition_expression("pk = :pk AND #order BETWEEN :first AND :own")
            .expression_attribute_names("#order", LSI1_SK)
            .expression_attribute_values(":pk", s(Script::pk(script_id)))
            .expression_attribute_values(":first", s(Section::ORDER_PREFIX))
            .expression_attribute_values(":own", s(Section::order_sk(order_key)))
            .select(aws_sdk_dynamodb::types::Select::Count)
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        before += output.count.max(0) as usize;
        match output.last_evaluated_key {
            Some(key) => start = Some(key),
            // BETWEEN includes the section itself.
            None => return Ok(before.max(1)),
        }
    }
}
