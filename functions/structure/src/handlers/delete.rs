use fountain_events::DomainEvent;
use fountain_events::catalog::{ElementRemoved, SectionRemoved};
use fountain_http::{
    Access, Body, Checks, DeleteRequest, Problem, Request, Response, TableDeps, if_match,
    no_content, optional_json_body, serve,
};
use fountain_scripts::access::Permission;

use super::kind::Kind;
use super::order_conflict;
use crate::element::Element;
use crate::model::Section;
use crate::store;

/// Removes a section; the sections after it move up one sequence number.
#[utoipa::path(delete, path = "/scripts/{scriptId}/sections/{sectionId}", tag = "structure", operation_id = "delete_section",
    params(("scriptId" = String, Path), ("sectionId" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = Option<DeleteRequest>, description = "Optional comment"),
    responses((status = 204, description = "Removed"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_section(deps: &TableDeps, req: Request) -> Response<Body> {
    delete(deps, req, |section: &Section, comment| SectionRemoved {
        section_id: section.section_id.clone(),
        script_id: section.script_id.clone(),
        comment,
    })
    .await
}

/// Removes an element; the elements after it move up one sequence number.
#[utoipa::path(delete, path = "/scripts/{scriptId}/elements/{elementId}", tag = "structure", operation_id = "delete_element",
    params(("scriptId" = String, Path), ("elementId" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = Option<DeleteRequest>, description = "Optional comment"),
    responses((status = 204, description = "Removed"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_element(deps: &TableDeps, req: Request) -> Response<Body> {
    delete(deps, req, |element: &Element, comment| ElementRemoved {
        element_id: element.element_id.clone(),
        script_id: element.script_id.clone(),
        section_id: element.section_id.clone(),
        comment,
    })
    .await
}

/// Removes the child the path names (at the revision If-Match names, if given) with the
/// event `removed` makes of it and the request's comment.
async fn delete<C: Kind, E: DomainEvent + Send>(
    deps: &TableDeps,
    req: Request,
    removed: impl FnOnce(&C, Option<String>) -> E + Send,
) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: DeleteRequest = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        let child = C::authorized(deps, &req, &ctx.principal, Permission::Write).await?;
        if let Some(expected) = if_match(&req)? {
            expected.check(child.revision(), C::NAME)?;
        }
        let seen = child.siblings().settled_revision(&deps.table).await?;
        let event = removed(&child, input.comment);
        store::remove(
            &deps.table,
            &ctx.principal.user_id,
            &child,
            seen,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(order_conflict)?;
        no_content()
    })
    .await
}
