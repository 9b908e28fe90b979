use fountain_http::{Access, Body, Problem, Request, Response, TableDeps, etag, json, serve};
use fountain_scripts::access::Permission;

use super::authorized_element;
use crate::element::ElementView;

/// One element, with its sequence number in its section.
#[utoipa::path(get, path = "/scripts/{scriptId}/elements/{elementId}", tag = "structure", operation_id = "get_element",
    params(("scriptId" = String, Path), ("elementId" = String, Path)),
    responses((status = 200, body = ElementView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_element(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let element = authorized_element(deps, &req, &ctx.principal, Permission::Read).await?;
        let sequence = element
            .siblings()
            .sequence_of(&deps.table, &element.element_id, &element.order_key)
            .await?;
        json(200, &element.view(sequence), Some(etag(element.revision)))
    })
    .await
}
