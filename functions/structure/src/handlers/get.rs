use fountain_http::{Access, Body, Problem, Request, Response, TableDeps, serve};
use fountain_scripts::access::Permission;

use super::kind::Kind;
use super::shown;
use crate::element::{Element, ElementView};
use crate::model::{Section, SectionView};

/// One section, with its sequence number.
#[utoipa::path(get, path = "/scripts/{scriptId}/sections/{sectionId}", tag = "structure", operation_id = "get_section",
    params(("scriptId" = String, Path), ("sectionId" = String, Path)),
    responses((status = 200, body = SectionView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_section(deps: &TableDeps, req: Request) -> Response<Body> {
    get::<Section>(deps, req).await
}

/// One element, with its sequence number in its section.
#[utoipa::path(get, path = "/scripts/{scriptId}/elements/{elementId}", tag = "structure", operation_id = "get_element",
    params(("scriptId" = String, Path), ("elementId" = String, Path)),
    responses((status = 200, body = ElementView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_element(deps: &TableDeps, req: Request) -> Response<Body> {
    get::<Element>(deps, req).await
}

/// The child the path names, with its sequence number; its revision is the ETag.
async fn get<C: Kind>(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let child = C::authorized(deps, &req, &ctx.principal, Permission::Read).await?;
        shown(deps, &child).await
    })
    .await
}
