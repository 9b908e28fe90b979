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
use fountain_sequence::{Plan, apply, plan_moves, plan_reorder};
use fountain_store::{StoreError, Table};

use crate::element_store::{Refusal, refusal};
use crate::model::{Reorder, Section, sequence_problem};
use crate::order::Siblings;
use crate::pending::MAX_REORDER_KEYS;

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
        .get_as::<Section>(
            &fountain_scripts::Script::pk(&script_id),
            &Section::sk(&section_id),
        )
        .await?
        .ok_or(ApiError::NotFound("section"))
}

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

/// A reorder request planned over the current order of `siblings`, which are called
/// `what`: refused whole when it names an unknown or repeated child or moves more keys than
/// one reorder may.
struct PlannedReorder {
    plan: Plan,
    /// Child ids by their new sequence number.
    order: Vec<String>,
    /// The children that get a new key, in their new order.
    moved: Vec<String>,
}

async fn plan_reorder_request(
    table: &Table,
    siblings: &Siblings,
    wanted: &Reorder,
    what: &'static str,
) -> Result<PlannedReorder, ApiError> {
    let current = siblings.keyed(table).await?;
    let plan = match wanted {
        Reorder::Order(order) => plan_reorder(&current, order),
        Reorder::Moves(moves) => plan_moves(&current, moves),
    }
    .map_err(|e| sequence_problem(e, what))?;
    let writes = plan.merged();
    if writes.len() > MAX_REORDER_KEYS {
        return Err(ApiError::BadRequest(format!(
            "this reorder moves {} {what}s; at most {MAX_REORDER_KEYS} move in one request",
            writes.len()
        )));
    }
    let order = apply(&current, &writes);
    let moved = order
        .iter()
        .filter(|id| writes.iter().any(|w| w.id == **id))
        .cloned()
        .collect();
    Ok(PlannedReorder { plan, order, moved })
}
