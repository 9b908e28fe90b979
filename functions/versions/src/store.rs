//! Versions in the script's partition: the header item and its chunks.

use aws_sdk_dynamodb::primitives::Blob;
use fountain_events::EventEnvelope;
use fountain_scripts::Script;
use fountain_scripts::access::{Permission, allowed_transaction};
use fountain_scripts::caps::Cap;
use fountain_store::{
    AttributeValue, Item, ItemCodec, PK, Page, PageError, StoreError, Table, query_page, s,
};
use futures::future::try_join_all;

use fountain_store::Packed;

use crate::blob::unpack;
use crate::model::Version;
use crate::snapshot::Snapshot;

/// Writes the chunks of `version` (not yet visible: only the header makes them a version).
pub async fn put_chunks(
    table: &Table,
    version: &Version,
    packed: &Packed,
) -> Result<(), StoreError> {
    try_join_all(packed.chunks.iter().enumerate().map(|(index, chunk)| {
        table
            .client
            .put_item()
            .table_name(&table.name)
            .item("pk", s(Script::pk(&version.script_id)))
            .item("sk", s(Version::chunk_sk(&version.version_id, index)))
            .item("entity", s("version-chunk"))
            .item("data", AttributeValue::B(Blob::new(chunk.clone())))
            .send()
    }))
    .await
    .map_err(StoreError::from_sdk)?;
    Ok(())
}

/// Makes the version visible with its event, if the script still exists, no restore holds
/// it and the caller may still write.
pub async fn commit(
    table: &Table,
    user_id: &str,
    version: &Version,
    max_versions: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let (counter, one_more, below_cap) = Cap::Versions.one_more(&version.script_id, max_versions);
    allowed_transaction(&version.script_id, user_id, Permission::Write)
        .create(version.to_item()?)
        .update(counter, one_more, Some(below_cap))
        .event(event)?
        .commit(table)
        .await
}

/// Removes the chunks of a version that did not commit; best effort (a purge of the
/// script removes any left).
pub async fn discard_chunks(table: &Table, version: &Version) {
    let deletes = (0..version.chunks).map(|index| {
        table
            .client
            .delete_item()
            .table_name(&table.name)
            .key("pk", s(Script::pk(&version.script_id)))
            .key("sk", s(Version::chunk_sk(&version.version_id, index)))
            .send()
    });
    if let Err(error) = try_join_all(deletes).await {
        tracing::warn!(version_id = version.version_id, %error, "chunks of an uncommitted version left behind");
    }
}

pub async fn load(
    table: &Table,
    script_id: &str,
    version_id: &str,
) -> Result<Option<Version>, StoreError> {
    table
        .get_as::<Version>(&Script::pk(script_id), &Version::sk(version_id))
        .await
}

/// The snapshot of a committed version.
pub async fn snapshot(table: &Table, version: &Version) -> Result<Snapshot, StoreError> {
    let chunks = table
        .packed_chunks(
            &Script::pk(&version.script_id),
            &Version::chunk_prefix(&version.version_id),
        )
        .await?;
    if chunks.len() != version.chunks {
        return Err(StoreError::Corrupt(format!(
            "version {} has {} of its {} chunks",
            version.version_id,
            chunks.len(),
            version.chunks
        )));
    }
    unpack(&chunks)
}

/// A script's versions, newest first.
pub async fn list(
    table: &Table,
    script_id: &str,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<Version>, PageError> {
    let partition = Script::pk(script_id);
    let query = table
        .query_prefix(&partition, Version::SK_PREFIX)
        .scan_index_forward(false);
    query_page(query, (PK, &partition), limit, cursor).await
}

/// The content items version `version_id` of `script_id` holds (the script, its characters,
/// sections and elements as they were), or `None` when the script has no such version.
pub async fn version_items(
    table: &Table,
    script_id: &str,
    version_id: &str,
) -> Result<Option<Vec<Item>>, StoreError> {
    // Only a ULID names a version; anything else is never looked up.
    if !fountain_events::ids::is_id(version_id) {
        return Ok(None);
    }
    let Some(version) = load(table, script_id, version_id).await? else {
        return Ok(None);
    };
    Ok(Some(snapshot(table, &version).await?.to_items()?))
}
