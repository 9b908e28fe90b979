use fountain_events::catalog::ItemsReordered;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, TableDeps, etag, json, json_body,
    require_if_match, serve,
};
use fountain_scripts::access::Permission;
use fountain_sequence::{Plan, apply, plan_moves, plan_reorder};
use fountain_store::Table;

use super::kind::Kind;
use super::order_conflict;
use crate::element::{Element, ElementOrder};
use crate::model::{Reorder, ReorderRequest, Section, SectionOrder, sequence_problem};
use crate::order::Siblings;
use crate::pending::MAX_REORDER_KEYS;
use crate::store;

/// Reorders the script's sections at once: the full new order, or moves applied in turn.
/// Only the sections that must move get new keys (n minus the longest run kept in order).
/// If-Match names the order revision (the ETag of the sections list): a stale one is 412.
#[utoipa::path(post, path = "/scripts/{scriptId}/sections/reorder", tag = "structure", operation_id = "reorder_sections",
    params(("scriptId" = String, Path), ("If-Match" = String, Header, description = "The order revision, from the sections list's ETag")),
    request_body = ReorderRequest,
    responses((status = 200, body = SectionOrder, description = "The new order and the order revision the reorder wrote (one more than the one it was based on), also the ETag"),
        (status = 400, body = Problem, description = "A section named twice, or not every section"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem, description = "An unknown section"),
        (status = 409, body = Problem, description = "A concurrent reorder won"), (status = 412, body = Problem, description = "Stale order revision"),
        (status = 415, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn reorder_sections(deps: &TableDeps, req: Request) -> Response<Body> {
    reorder::<Section>(deps, req).await
}

/// Reorders a section's elements at once: the full new order, or moves applied in turn.
/// Only the elements that must move get new keys (n minus the longest run kept in order).
/// If-Match names the order revision (the ETag of the elements list): a stale one is 412.
#[utoipa::path(post, path = "/scripts/{scriptId}/sections/{sectionId}/elements/reorder", tag = "structure", operation_id = "reorder_elements",
    params(("scriptId" = String, Path), ("sectionId" = String, Path), ("If-Match" = String, Header, description = "The order revision, from the elements list's ETag")),
    request_body = ReorderRequest,
    responses((status = 200, body = ElementOrder, description = "The new order and the order revision the reorder wrote (one more than the one it was based on), also the ETag"),
        (status = 400, body = Problem, description = "An element named twice, not every element, or too many moves"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem, description = "An unknown element"),
        (status = 409, body = Problem, description = "A concurrent reorder won"), (status = 412, body = Problem, description = "Stale order revision"),
        (status = 415, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn reorder_elements(deps: &TableDeps, req: Request) -> Response<Body> {
    reorder::<Element>(deps, req).await
}

/// Reorders the children of the parent the path names, based on the order revision
/// If-Match names; answers with the order revision the store wrote (docs/decisions.md, "A reorder
/// reports the order revision it wrote").
async fn reorder<C: Kind>(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: ReorderRequest = json_body(&req, deps.max_body_bytes)?;
        let wanted = input.validate()?;
        let if_match = require_if_match(&req)?;
        let parent = C::parent(deps, &req, &ctx.principal, Permission::Write).await?;
        let siblings = &parent.siblings;
        let seen = siblings.settled_revision(&deps.table).await?;
        if_match.check(seen, &format!("order of {}s", C::NAME))?;
        let planned = plan_reorder_request(&deps.table, siblings, &wanted, C::NAME).await?;
        let event = ItemsReordered {
            parent_id: parent.id.clone(),
            parent_type: parent.parent_type.into(),
            script_id: siblings.script_id.clone(),
            moved: planned.moved,
            from_parent_id: None,
            order_revision: store::reorder_revision(seen),
            comment: input.comment,
        };
        let revision = store::reorder(
            &deps.table,
            &ctx.principal.user_id,
            siblings,
            seen,
            &planned.plan,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(order_conflict)?;
        let body = C::order(planned.order, revision, planned.plan.len());
        json(200, &body, Some(etag(revision)))
    })
    .await
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
