//! One handler per API operation, each the whole of one Lambda function.

mod create;
mod delete;
mod element;
mod get;
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

use fountain_http::{ApiError, Principal, Request, TableDeps, path_param};
use fountain_scripts::access::{Permission, authorize};
use fountain_store::ItemCodec;

use crate::model::Section;

/// The section named by the path, when the caller may do what `need` says in its script.
async fn authorized_section(
    deps: &TableDeps,
    req: &Request,
    principal: &Principal,
    need: Permission,
) -> Result<Section, ApiError> {
    let script_id = path_param(req, "scriptId")?;
    let section_id = path_param(req, "sectionId")?;
    authorize(&deps.table, &script_id, principal, need).await?;
    deps.table
        .get(
            &fountain_scripts::Script::pk(&script_id),
            &Section::sk(&section_id),
        )
        .await?
        .map(Section::from_item)
        .transpose()?
        .ok_or(ApiError::NotFound("section"))
}

/// A refused order-changing transaction: the access checks (writes 0 and 1) or a concurrent
/// change of the order (any later write).
fn order_conflict(error: fountain_store::StoreError) -> ApiError {
    if error.condition_failed_at(0) || error.condition_failed_at(1) {
        ApiError::NotFound("script")
    } else if matches!(error, fountain_store::StoreError::ConditionFailed { .. }) {
        ApiError::Conflict("the order changed meanwhile; read it again and retry".into())
    } else {
        error.into()
    }
}
