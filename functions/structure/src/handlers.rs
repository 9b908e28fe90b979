//! One handler per API operation, each the whole of one Lambda function. Sections and
//! elements share the operations they both have: each pair of handlers is thin twins over
//! one generic function, the kinds differing where [`kind::Kind`] and
//! [`crate::child::Child`] say.

mod create;
mod delete;
mod element;
mod get;
mod kind;
mod list;
mod reorder;
mod update;

pub use create::*;
pub use delete::*;
pub use element::*;
pub use get::*;
pub use list::*;
pub use reorder::*;
pub use update::*;

use fountain_http::{ApiError, Body, Response, TableDeps, etag, json};
use fountain_store::StoreError;

use crate::child::{Refusal, refusal};
use kind::Kind;

/// The answer to a refused write: the access checks, the element write's section or
/// character check, or else `conflict` (a concurrent change).
fn refused(error: StoreError, conflict: ApiError) -> ApiError {
    match error {
        StoreError::Refused { .. } => match refusal(&error) {
            Refusal::Access => ApiError::NotFound("script"),
            Refusal::NoSection => ApiError::NotFound("section"),
            Refusal::NoCharacter => {
                ApiError::BadRequest("the dialogue's character was deleted meanwhile".into())
            }
            Refusal::Conflict => conflict,
        },
        other => other.into(),
    }
}

/// A refused change of order: the access checks, or a concurrent change of the order.
fn order_conflict(error: StoreError) -> ApiError {
    refused(error, moved_meanwhile())
}

fn moved_meanwhile() -> ApiError {
    ApiError::Conflict("the order changed meanwhile; read it again and retry".into())
}

/// The child answered with its sequence number, its revision the ETag.
async fn shown<C: Kind>(deps: &TableDeps, child: &C) -> Result<Response<Body>, ApiError> {
    let sequence = child
        .siblings()
        .sequence_of(&deps.table, child.id(), child.order_key())
        .await?;
    json(200, &child.view(sequence), Some(etag(child.revision())))
}
