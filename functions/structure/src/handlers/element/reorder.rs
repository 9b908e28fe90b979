use fountain_events::catalog::ItemsReordered;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, TableDeps, etag, json, json_body,
    path_param, require_if_match, serve,
};
use fountain_scripts::access::{Permission, authorize};

use super::{order_conflict, plan_reorder_request, section_exists};
use crate::element::ElementOrder;
use crate::model::ReorderRequest;
use crate::order::Siblings;
use crate::store;

/// Reorders a section's elements at once: the full new order, or moves applied in turn.
/// Only the elements that must move get new keys (n minus the longest run kept in order).
/// If-Match names the order revision (the ETag of the elements list): a stale one is 412.
#[utoipa::path(post, path = "/scripts/{scriptId}/sections/{sectionId}/elements/reorder", tag = "structure", operation_id = "reorder_elements",
    params(("scriptId" = String, Path), ("sectionId" = String, Path), ("If-Match" = String, Header, description = "The order revision, from the elements list's ETag")),
    request_body = ReorderRequest,
    responses((status = 200, body = ElementOrder), (status = 400, body = Problem, description = "An element named twice, not every element, or too many moves"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem, description = "An unknown element"),
        (status = 409, body = Problem, description = "A concurrent reorder won"), (status = 412, body = Problem, description = "Stale order revision"),
        (status = 415, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn reorder_elements(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let section_id = path_param(&req, "sectionId")?;
        let input: ReorderRequest = json_body(&req, deps.max_body_bytes)?;
        let wanted = input.validate()?;
        let if_match = require_if_match(&req)?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Write).await?;
        if !section_exists(&deps.table, &script_id, &section_id).await? {
            return Err(ApiError::NotFound("section"));
        }
        let siblings = Siblings::elements(&script_id, &section_id);
        let seen = siblings.settled_revision(&deps.table).await?;
        if_match.check(seen, "order of elements")?;
        let planned = plan_reorder_request(&deps.table, &siblings, &wanted, "element").await?;
        let event = ItemsReordered {
            parent_id: section_id.clone(),
            parent_type: "section".into(),
            script_id: script_id.clone(),
            moved: planned.moved,
            from_parent_id: None,
            order_revision: seen + 1,
            comment: input.comment,
        };
        let revision = store::reorder(
            &deps.table,
            &ctx.principal.user_id,
            &siblings,
            seen,
            &planned.plan,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(order_conflict)?;
        let body = ElementOrder {
            written: planned.plan.len(),
            order: planned.order,
            order_revision: revision,
        };
        json(200, &body, Some(etag(revision)))
    })
    .await
}
