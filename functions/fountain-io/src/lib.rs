//! Fountain in and out of the API: `POST /scripts/import` makes a new script (title data,
//! sections, elements in order, one character per cue name) from Fountain 1.1 text, writing
//! the content first and making it visible in one final transaction; `GET
//! /scripts/{scriptId}/fountain` writes a script's assembled story back as Fountain.
//! The text itself is read and written by `fountain-text`; this crate maps it onto the
//! domain (decision 29).

pub mod functions;
pub use functions::FUNCTIONS;
mod body;
mod export;
pub mod handlers;
mod import_write;
pub mod pdf;
mod plan;

pub use body::MAX_FOUNTAIN_BYTES;
pub use export::{filename, screenplay};
pub use fountain_http::TableDeps as Deps;
pub use import_write::content_items;
pub use plan::{MAX_IMPORT_ELEMENTS, Plan, PlanError, plan};
