use fountain_events::catalog::SectionRemoved;
use fountain_http::{
    Access, Body, Checks, Problem, Request, Response, TableDeps, if_match, no_content,
    optional_json_body, serve,
};
use fountain_scripts::access::Permission;

use super::{authorized_section, order_conflict};
use crate::order::Siblings;
use crate::store;
use fountain_http::DeleteRequest;

/// Removes a section; the sections after it move up one sequence number.
#[utoipa::path(delete, path = "/scripts/{scriptId}/sections/{sectionId}", tag = "structure", operation_id = "delete_section",
    params(("scriptId" = String, Path), ("sectionId" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = Option<DeleteRequest>, description = "Optional comment"),
    responses((status = 204, description = "Removed"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_section(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: DeleteRequest = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        let section = authorized_section(deps, &req, &ctx.principal, Permission::Write).await?;
        if let Some(expected) = if_match(&req)? {
            expected.check(section.revision, "section")?;
        }
        let seen = Siblings::sections(&section.script_id)
            .settled_revision(&deps.table)
            .await?;
        let event = SectionRemoved {
            section_id: section.section_id.clone(),
            script_id: section.script_id.clone(),
            comment: input.comment,
        };
        store::remove(
            &deps.table,
            &ctx.principal.user_id,
            &section,
            seen,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(order_conflict)?;
        no_content()
    })
    .await
}
