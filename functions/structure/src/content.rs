//! A script's content as stored, read in one place: versions snapshot it, stories assemble
//! it (and exports and generation read the story made from it). Content is the script item,
//! its characters and their name reservations, its sections, elements and their orders, and
//! its paraphrases; memberships, invitations and versions are not. The range read and the
//! kinds of content are the key schema's ([`keys::CONTENT`], [`ContentKind`]), whose tests pin
//! that every content key sorts inside the range and versions and the story cache after it.

use fountain_scripts::Script;
use fountain_store::keys::{self, ContentKind};
use fountain_store::{Item, StoreError, Table, s, string_attribute};

use crate::pending::settle_items;

/// Whether the item with sort key `sk` is part of the script's content.
pub fn is_content(sk: &str) -> bool {
    ContentKind::of(sk).is_some()
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
        .expression_attribute_values(":first", s(*keys::CONTENT.start()))
        .expression_attribute_values(":last", s(*keys::CONTENT.end()))
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
