use fountain_events::catalog::ElementRemoved;
use fountain_http::{
    Access, Body, Checks as FieldChecks, Problem, Request, Response, TableDeps, if_match,
    no_content, optional_json_body, serve,
};
use fountain_scripts::access::Permission;

use super::{authorized_element, order_conflict};
use crate::element_store;
use fountain_http::DeleteRequest;

/// Removes an element; the elements after it move up one sequence number.
#[utoipa::path(delete, path = "/scripts/{scriptId}/elements/{elementId}", tag = "structure", operation_id = "delete_element",
    params(("scriptId" = String, Path), ("elementId" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = Option<DeleteRequest>, description = "Optional comment"),
    responses((status = 204, description = "Removed"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_element(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: DeleteRequest = optional_json_body(&req, deps.max_body_bytes)?;
        FieldChecks::new()
            .comment(input.comment.as_deref())
            .finish()?;
        let element = authorized_element(deps, &req, &ctx.principal, Permission::Write).await?;
        if let Some(expected) = if_match(&req)? {
            expected.check(element.revision, "element")?;
        }
        let seen = element.siblings().settled_revision(&deps.table).await?;
        let event = ElementRemoved {
            element_id: element.element_id.clone(),
            script_id: element.script_id.clone(),
            section_id: element.section_id.clone(),
            comment: input.comment,
        };
        element_store::remove(
            &deps.table,
            &ctx.principal.user_id,
            &element,
            seen,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(order_conflict)?;
        no_content()
    })
    .await
}
