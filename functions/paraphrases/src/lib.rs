//! Paraphrases: typed links to a character, section or element of a script, with text and
//! commentary. A paraphrase is written only while its target exists, checked in the write's
//! transaction; it stays when its target is deleted later, still listed by that target.

pub mod functions;
pub use functions::FUNCTIONS;
mod deps;
pub mod handlers;
mod listing;
mod model;
/// Public for the tests that delete a target between the read and the write.
pub mod store;
mod target;

pub use deps::Deps;
pub use model::{CreateParaphrase, Paraphrase, ParaphrasePage, UpdateParaphrase};
pub use target::{FoundTarget, Target, TargetType};
