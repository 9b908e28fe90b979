//! Characters of a script: names unique per script regardless of case, enforced by a name
//! item written in the same transaction as the character.

pub mod functions;
pub use functions::FUNCTIONS;
mod deps;
pub mod handlers;
pub mod initial_cast;
mod model;
mod store;

pub use deps::Deps;
pub use model::{
    Character, CharacterPage, CreateCharacter, MAX_NAME_CHARS, NameItem, UpdateCharacter, name_key,
};
