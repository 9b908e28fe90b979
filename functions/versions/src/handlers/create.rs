use chrono::Utc;
use fountain_events::catalog::ScriptVersionCreated;
use fountain_events::ids::new_id;
use fountain_http::{
    Access, ApiError, Body, Checks, Problem, Request, Response, TableDeps, created, etag,
    optional_json_body, path_param, serve,
};
use fountain_scripts::access::{Permission, authorize};
use fountain_scripts::caps::{CAP_REACHED, Cap};
use fountain_store::StoreError;

use crate::blob::pack;
use crate::collect::{CollectError, consistent_content};
use crate::model::{CreateVersion, Version};
use crate::snapshot::Snapshot;
use crate::store;

/// Stores a snapshot of the whole script (characters, sections, elements, paraphrases) as
/// a new version, consistent without stopping other writers.
#[utoipa::path(post, path = "/scripts/{scriptId}/versions", tag = "versions", operation_id = "create_version",
    params(("scriptId" = String, Path)),
    request_body(content = Option<CreateVersion>, description = "Optional: a comment"),
    responses((status = 201, body = Version), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "A restore holds the script, or it kept changing"),
        (status = 415, body = Problem), (status = 422, body = Problem, description = "Invalid, or the script has MAX_VERSIONS_PER_SCRIPT versions (limit-reached)")),
    security(("bearer" = [])))]
pub async fn create_version(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let input: CreateVersion = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Write).await?;
        // Checked before the snapshot is read and written; the commit checks it again.
        let max = Cap::Versions.room(&deps.table, &script_id).await?;
        let items = consistent_content(&deps.table, &script_id)
            .await
            .map_err(|e| match e {
                CollectError::Restoring => {
                    ApiError::Conflict("a version is being restored; retry in a moment".into())
                }
                CollectError::Busy => {
                    ApiError::Conflict("the script kept changing while it was read; retry".into())
                }
                CollectError::Store(store) => store.into(),
            })?;
        let snapshot = Snapshot::of(items)?;
        let contents = snapshot.contents()?;
        let packed = pack(&snapshot)?;
        let version = Version {
            version_id: new_id(),
            script_id,
            comment: input.comment.clone(),
            created_at: Utc::now(),
            created_by: ctx.principal.user_id.clone(),
            script_revision: contents.script.revision,
            counts: contents.counts(),
            snapshot_bytes: packed.json_bytes,
            stored_bytes: packed.stored_bytes,
            chunks: packed.chunks.len(),
        };
        let event = ScriptVersionCreated {
            version_id: version.version_id.clone(),
            script_id: version.script_id.clone(),
            script_revision: version.script_revision,
            characters: version.counts.characters,
            sections: version.counts.sections,
            elements: version.counts.elements,
            paraphrases: version.counts.paraphrases,
            comment: input.comment,
        };
        let envelope = ctx.envelope(&event)?;
        store::put_chunks(&deps.table, &version, &packed).await?;
        if let Err(error) = store::commit(
            &deps.table,
            &ctx.principal.user_id,
            &version,
            max,
            &envelope,
        )
        .await
        {
            store::discard_chunks(&deps.table, &version).await;
            return Err(match error {
                e if e.refused(CAP_REACHED) => Cap::Versions.reached(max),
                StoreError::Refused { .. } => ApiError::NotFound("script"),
                other => other.into(),
            });
        }
        let location = format!(
            "/scripts/{}/versions/{}",
            version.script_id, version.version_id
        );
        // A version never changes: its ETag is that of a first revision, forever.
        created(&location, &version, etag(1))
    })
    .await
}
