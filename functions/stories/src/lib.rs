//! The Story Factory's read side: a script's assembled story (sections in order, their
//! elements in order, characters resolved, a session's context applied), read whole or by
//! element range, from one paginated Query of the script's partition, and cached per script
//! and story revision. Events that change the content move that script's story revision on
//! (`invalidate_stories`), so a cached story is never served once its script has changed
//! and the events have arrived.

pub mod functions;
pub use functions::FUNCTIONS;
mod assemble;
pub mod cache;
pub mod context;
mod current;
pub mod handlers;
pub mod invalidate;
mod model;

pub use assemble::assemble;
pub use current::{cached_or_assembled, current_story};
pub use fountain_http::TableDeps as Deps;
pub use model::{ContextNote, Story, StoryCharacter, StoryElement, StorySection};
