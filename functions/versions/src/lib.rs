//! Versions: stored snapshots of a whole script (its content items, gzip-compressed and
//! chunked in the script's partition), listed, read, compared element by element and
//! restored as a new revision of the script.

pub mod functions;
pub use functions::FUNCTIONS;
mod blob;
pub mod collect;
mod diff;
pub mod handlers;
mod model;
mod restore;
mod snapshot;
mod store;

pub use diff::VersionDiff;
pub use fountain_http::TableDeps as Deps;
pub use model::{
    Counts, CreateVersion, RestoreVersion, Restored, Version, VersionDetail, VersionPage,
};
pub use store::version_items;
