use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, TableDeps, etag, json, page_limit,
    path_param, query_param, serve,
};
use fountain_scripts::access::{Permission, authorize};

use super::section_exists;
use crate::element::{Element, ElementPage};
use crate::order::Siblings;

/// A section's elements in order, with sequence numbers. The ETag is the section's order
/// revision, which a reorder names in If-Match.
#[utoipa::path(get, path = "/scripts/{scriptId}/sections/{sectionId}/elements", tag = "structure", operation_id = "list_elements",
    params(("scriptId" = String, Path), ("sectionId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = ElementPage), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_elements(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let section_id = path_param(&req, "sectionId")?;
        let limit = page_limit(&req)?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        if !section_exists(&deps.table, &script_id, &section_id).await? {
            return Err(ApiError::NotFound("section"));
        }
        let siblings = Siblings::elements(&script_id, &section_id);
        let cursor = query_param(&req, "cursor");
        let listing = siblings
            .listing::<Element>(&deps.table, limit, cursor.as_deref())
            .await?;
        let page = ElementPage {
            items: listing
                .children
                .iter()
                .map(|(sequence, element)| element.view(*sequence))
                .collect(),
            next_cursor: listing.next_cursor,
        };
        json(200, &page, Some(etag(listing.revision)))
    })
    .await
}
