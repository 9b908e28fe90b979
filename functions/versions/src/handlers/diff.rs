use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, TableDeps, json, path_param, query_param,
    serve,
};
use fountain_scripts::access::Permission;

use super::{authorized_version, contents, load_version};
use crate::diff::{VersionDiff, diff};

/// Compares a version with another of the same script, element by element (and section by
/// section): what `against` lacks (added), what it had (removed), changed and moved.
#[utoipa::path(get, path = "/scripts/{scriptId}/versions/{versionId}/diff", tag = "versions", operation_id = "diff_versions",
    params(("scriptId" = String, Path), ("versionId" = String, Path), ("against" = String, Query, description = "The version to compare with (the before)")),
    responses((status = 200, body = VersionDiff), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn diff_versions(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let against = query_param(&req, "against").ok_or_else(|| {
            ApiError::BadRequest("name the version to compare with: ?against=<versionId>".into())
        })?;
        let script_id = path_param(&req, "scriptId")?;
        let after = authorized_version(deps, &req, &ctx.principal, Permission::Read).await?;
        let before = load_version(deps, &script_id, &against).await?;
        let (old, new) = tokio::try_join!(contents(deps, &before), contents(deps, &after))?;
        let (elements, sections) = diff(&old, &new);
        json(
            200,
            &VersionDiff {
                version_id: after.version_id,
                against: before.version_id,
                elements,
                sections,
            },
            None,
        )
    })
    .await
}
