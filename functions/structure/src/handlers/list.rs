use fountain_http::{
    Access, Body, Problem, Request, Response, TableDeps, etag, json, page_limit, path_param,
    query_param, serve,
};
use fountain_scripts::access::{Permission, authorize};

use crate::model::{Section, SectionPage};
use crate::order::Siblings;

/// The script's sections in order, with sequence numbers. The ETag is the order revision,
/// which a reorder names in If-Match.
#[utoipa::path(get, path = "/scripts/{scriptId}/sections", tag = "structure", operation_id = "list_sections",
    params(("scriptId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = SectionPage), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_sections(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let limit = page_limit(&req)?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        let siblings = Siblings::sections(&script_id);
        let cursor = query_param(&req, "cursor");
        let listing = siblings
            .listing::<Section>(&deps.table, limit, cursor.as_deref())
            .await?;
        let page = SectionPage {
            items: listing
                .children
                .iter()
                .map(|(sequence, section)| section.view(*sequence))
                .collect(),
            next_cursor: listing.next_cursor,
        };
        json(200, &page, Some(etag(listing.revision)))
    })
    .await
}
