//! A version as stored and shown, and the request and response bodies of the API.

use chrono::{DateTime, Utc};
use fountain_characters::Character;
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item, keys};
use fountain_structure::{ElementView, SectionView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How much a version holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub characters: usize,
    pub sections: usize,
    pub elements: usize,
    pub paraphrases: usize,
}

/// A version (`SCRIPT#<scriptId>` / `VERSION#<versionId>`). Its snapshot is stored beside
/// it, gzip-compressed and cut into `chunks` items (`VCHUNK#<versionId>#<n>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub version_id: String,
    pub script_id: String,
    /// Why the version was taken.
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// The script's revision when the snapshot was taken.
    pub script_revision: u64,
    pub counts: Counts,
    /// The snapshot's size as JSON.
    pub snapshot_bytes: usize,
    /// Its size as stored (gzip).
    pub stored_bytes: usize,
    pub chunks: usize,
}

impl Version {
    pub const SK_PREFIX: &'static str = keys::VERSION;

    pub fn sk(version_id: &str) -> String {
        keys::version(version_id)
    }

    /// What the sort keys of the version's chunks start with.
    pub fn chunk_prefix(version_id: &str) -> String {
        keys::version_chunk_prefix(version_id)
    }

    pub fn chunk_sk(version_id: &str, index: usize) -> String {
        keys::version_chunk(version_id, index)
    }
}

impl ItemCodec for Version {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(
            self,
            &[
                ("pk", &fountain_scripts::Script::pk(&self.script_id)),
                ("sk", &Version::sk(&self.version_id)),
                ("entity", "version"),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// `POST /scripts/{scriptId}/versions`
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateVersion {
    /// Why this version is taken; stored with it and carried in the event.
    pub comment: Option<String>,
}

/// `POST /scripts/{scriptId}/versions/{versionId}/restore`
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoreVersion {
    /// Why the script goes back; stored as the script's change comment and in the event.
    pub comment: Option<String>,
}

/// A page of a script's versions, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionPage {
    pub items: Vec<Version>,
    pub next_cursor: Option<String>,
}

/// A version and the script as it was then: title data, characters and sections whole,
/// elements one page at a time in script order (sections in order, each in order).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionDetail {
    pub version: Version,
    pub title: String,
    pub author: Option<String>,
    pub description: Option<String>,
    pub characters: Vec<Character>,
    pub sections: Vec<SectionView>,
    pub elements: Vec<ElementView>,
    /// Pass as `cursor` for the next page of elements.
    pub next_cursor: Option<String>,
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Restored {
    pub script_id: String,
    pub version_id: String,
    /// The script's revision after the restore (its ETag).
    pub revision: u64,
    /// Items written back and items deleted; unchanged items are not touched.
    pub written: usize,
    pub deleted: usize,
}
