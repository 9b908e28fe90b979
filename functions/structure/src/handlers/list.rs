use fountain_http::{
    Access, Body, Problem, Request, Response, TableDeps, etag, json, page_limit, query_param, serve,
};
use fountain_scripts::access::Permission;

use super::kind::Kind;
use crate::element::{Element, ElementPage};
use crate::model::{Section, SectionPage};

/// The script's sections in order, with sequence numbers. The ETag is the order revision,
/// which a reorder names in If-Match.
#[utoipa::path(get, path = "/scripts/{scriptId}/sections", tag = "structure", operation_id = "list_sections",
    params(("scriptId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = SectionPage), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_sections(deps: &TableDeps, req: Request) -> Response<Body> {
    list::<Section>(deps, req).await
}

/// A section's elements in order, with sequence numbers. The ETag is the section's order
/// revision, which a reorder names in If-Match.
#[utoipa::path(get, path = "/scripts/{scriptId}/sections/{sectionId}/elements", tag = "structure", operation_id = "list_elements",
    params(("scriptId" = String, Path), ("sectionId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = ElementPage), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_elements(deps: &TableDeps, req: Request) -> Response<Body> {
    list::<Element>(deps, req).await
}

/// One page of the children of the parent the path names, in order.
async fn list<C: Kind>(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let limit = page_limit(&req)?;
        let parent = C::parent(deps, &req, &ctx.principal, Permission::Read).await?;
        let cursor = query_param(&req, "cursor");
        let listing = parent
            .siblings
            .listing::<C>(&deps.table, limit, cursor.as_deref())
            .await?;
        let items = listing
            .children
            .iter()
            .map(|(sequence, child)| child.view(*sequence))
            .collect();
        let page = C::page(items, listing.next_cursor);
        json(200, &page, Some(etag(listing.revision)))
    })
    .await
}
