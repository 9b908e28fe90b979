//! Structure: a script's sections (act, sequence and scene headings), kept in order by the
//! Central Sequence (fountain-sequence). Clients see dense sequence numbers 1..n; every
//! change of order commits with the parent's order revision, so a stale or concurrent
//! reorder is refused whole.

pub mod functions;
pub use functions::FUNCTIONS;
mod child;
mod commit;
pub mod content;
mod element;
mod element_store;
pub mod handlers;
mod listing;
mod model;
mod order;
pub mod pending;
pub mod purge;
mod reorder_plan;
mod store;

pub use element::{
    Content, CreateElement, Element, ElementKind, ElementOrder, ElementPage, ElementView,
    MoveElement, UpdateElement,
};
pub use fountain_http::TableDeps as Deps;
pub use model::{
    CreateSection, Level, ReorderRequest, Section, SectionOrder, SectionPage, SectionView,
    UpdateSection,
};
pub use order::Siblings;
