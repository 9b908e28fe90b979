use fountain_events::catalog::ItemsReordered;
use fountain_http::{
    Access, Body, Problem, Request, Response, TableDeps, etag, json, json_body, path_param,
    require_if_match, serve,
};
use fountain_scripts::access::{Permission, authorize};

use super::{order_conflict, plan_reorder_request};
use crate::model::{ReorderRequest, SectionOrder};
use crate::order::Siblings;
use crate::store;

/// Reorders the script's sections at once: the full new order, or moves applied in turn.
/// Only the sections that must move get new keys (n minus the longest run kept in order).
/// If-Match names the order revision (the ETag of the sections list): a stale one is 412.
#[utoipa::path(post, path = "/scripts/{scriptId}/sections/reorder", tag = "structure", operation_id = "reorder_sections",
    params(("scriptId" = String, Path), ("If-Match" = String, Header, description = "The order revision, from the sections list's ETag")),
    request_body = ReorderRequest,
    responses((status = 200, body = SectionOrder), (status = 400, body = Problem, description = "A section named twice, or not every section"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem, description = "An unknown section"),
        (status = 409, body = Problem, description = "A concurrent reorder won"), (status = 412, body = Problem, description = "Stale order revision"),
        (status = 415, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn reorder_sections(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let input: ReorderRequest = json_body(&req, deps.max_body_bytes)?;
        let wanted = input.validate()?;
        let if_match = require_if_match(&req)?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Write).await?;
        let siblings = Siblings::sections(&script_id);
        let seen = siblings.settled_revision(&deps.table).await?;
        if_match.check(seen, "order of sections")?;
        let planned = plan_reorder_request(&deps.table, &siblings, &wanted, "section").await?;
        let event = ItemsReordered {
            parent_id: script_id.clone(),
            parent_type: "script".into(),
            script_id: script_id.clone(),
            moved: planned.moved,
            from_parent_id: None,
            order_revision: seen + 1,
            comment: input.comment,
        };
        store::reorder(
            &deps.table,
            &ctx.principal.user_id,
            &siblings,
            seen,
            &planned.plan,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(order_conflict)?;
        let body = SectionOrder {
            written: planned.plan.len(),
            order: planned.order,
            order_revision: seen + 1,
        };
        json(200, &body, Some(etag(seen + 1)))
    })
    .await
}
