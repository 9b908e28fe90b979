//! Scripts: the root of everything a writer owns. Each operation is its own Lambda function
//! (src/bin); the handlers here are plain async functions over [`Deps`].

pub mod functions;
pub use functions::FUNCTIONS;
pub mod access;
pub mod caps;
mod deps;
pub mod handlers;
mod model;
pub mod purge;
mod store;

pub use deps::Deps;
pub use model::{CreateScript, RestoreLock, Script, ScriptPage, UpdateScript};
pub use store::{
    insert as insert_script, load as load_script, remove_orphaned as delete_orphaned_script,
};
