use fountain_http::{Access, Body, Problem, Request, Response, TableDeps, etag, json, serve};
use fountain_scripts::access::Permission;

use super::authorized_section;
use crate::model::SectionView;
use crate::order::Siblings;

/// One section, with its sequence number.
#[utoipa::path(get, path = "/scripts/{scriptId}/sections/{sectionId}", tag = "structure", operation_id = "get_section",
    params(("scriptId" = String, Path), ("sectionId" = String, Path)),
    responses((status = 200, body = SectionView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_section(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let section = authorized_section(deps, &req, &ctx.principal, Permission::Read).await?;
        let sequence = Siblings::sections(&section.script_id)
            .sequence_of(&deps.table, &section.section_id, &section.order_key)
            .await?;
        json(200, &section.view(sequence), Some(etag(section.revision)))
    })
    .await
}
