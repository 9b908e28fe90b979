//! A script's content as stored, read in one place: versions snapshot it, stories assemble
//! it (and exports and generation read the story made from it). Content is the script item,
//! its characters and their name reservations, its sections, elements and their orders, and
//! its paraphrases; memberships, invitations and versions are not.

use fountain_scripts::Script;
use fountain_store::{Item, StoreError, Table, s, string_attribute};

use crate::pending::settle_items;

/// Every content sort key sorts in [`FIRST`, `LAST`), and versions (`VCHUNK#`, `VERSION#`)
/// after it, so reading content never reads the (large) stored snapshots.
const FIRST: &str = "CHAR#";
const LAST: &str = "SECTION$";

/// Whether the item with sort key `sk` is part of the script's content.
pub fn is_content(sk: &str) -> bool {
    sk == Script::SK
        || [
            "CHAR#",
            "CHARNAME#",
            "SECTION#",
            "ELEMENT#",
            "ORDER#",
            "PARA#",
        ]
        .iter()
        .any(|prefix| sk.starts_with(prefix))
}

/// The script's content items as stored, strongly consistent page by page; `projection`
/// limits the attributes read. A large reorder past its commit point may still be pending:
/// [`settled_content`] applies it.
pub async fn content_items(
    table: &Table,
    script_id: &str,
    projection: Option<&str>,
) -> Result<Vec<Item>, StoreError> {
    let query = table
        .client
        .query()
        .table_name(&table.name)
        .key_condition_expression("pk = :pk AND sk BETWEEN :first AND :last")
        .expression_attribute_values(":pk", s(Script::pk(script_id)))
        .expression_attribute_values(":first", s(FIRST))
        .expression_attribute_values(":last", s(LAST))
        .set_projection_expression(projection.map(str::to_owned))
        .consistent_read(true);
    let mut items = table.query_all(query).await?;
    items.retain(|item| string_attribute(item, "sk").is_some_and(is_content));
    Ok(items)
}

/// The script's content as it stands: sections and elements in their order, pending large
/// reorders applied.
pub async fn settled_content(table: &Table, script_id: &str) -> Result<Vec<Item>, StoreError> {
    let mut items = content_items(table, script_id, None).await?;
    settle_items(&mut items)?;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_content_key_sorts_inside_the_range_read_and_versions_after_it() {
        for sk in [
            "CHAR#01J",
            "CHARNAME#anna",
            "ELEMENT#01S#01E",
            "ORDER#SECTIONS",
            "ORDER#ELEMENTS#01S",
            "PARA#01P",
            "SECTION#01S",
            Script::SK,
        ] {
            assert!(is_content(sk), "{sk}");
            assert!(
                (FIRST..=LAST).contains(&sk),
                "{sk} is outside the range read"
            );
        }
        for sk in ["VCHUNK#01V#0001", "VERSION#01V"] {
            assert!(sk > LAST, "{sk} must sort after content");
        }
        for sk in ["MEMBER#alice", "INVITE#01I"] {
            assert!(!is_content(sk), "{sk}");
        }
    }
}
