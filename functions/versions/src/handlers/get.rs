use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, TableDeps, json, page_limit, query_param,
    serve,
};
use fountain_scripts::access::Permission;

use super::{authorized_version, contents};
use crate::model::VersionDetail;

/// Reads a version: the script as it was, with its elements a page at a time.
#[utoipa::path(get, path = "/scripts/{scriptId}/versions/{versionId}", tag = "versions", operation_id = "get_version",
    params(("scriptId" = String, Path), ("versionId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = VersionDetail), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_version(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let limit = usize::try_from(page_limit(&req)?).unwrap_or(1);
        let offset = match query_param(&req, "cursor") {
            None => 0,
            Some(cursor) => cursor
                .parse::<usize>()
                .map_err(|_| ApiError::BadRequest("the cursor is not one we gave".into()))?,
        };
        let version = authorized_version(deps, &req, &ctx.principal, Permission::Read).await?;
        let contents = contents(deps, &version).await?;
        let elements = contents.element_views();
        let end = offset.saturating_add(limit).min(elements.len());
        let page = elements.get(offset..end).unwrap_or_default().to_vec();
        let next_cursor = (end < elements.len()).then(|| end.to_string());
        json(
            200,
            &VersionDetail {
                title: contents.script.title.clone(),
                author: contents.script.author.clone(),
                description: contents.script.description.clone(),
                sections: contents.section_views(),
                characters: contents.characters,
                elements: page,
                next_cursor,
                version,
            },
            None,
        )
    })
    .await
}
