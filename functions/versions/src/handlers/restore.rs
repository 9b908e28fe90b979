use chrono::Utc;
use fountain_events::catalog::ScriptRestored;
use fountain_http::{
    Access, ApiError, Body, Checks, Ctx, Problem, Request, Response, TableDeps, etag, json,
    optional_json_body, path_param, serve,
};
use fountain_scripts::access::{Permission, Role, authorize};
use fountain_scripts::{RestoreLock, Script};
use fountain_store::{ItemCodec, StoreError, keys, string_attribute};

use super::load_version;
use crate::model::{RestoreVersion, Restored, Version};
use crate::restore::{LOCK_LOST, LockError, RestorePlan, finish, give_up, lock};
use crate::store;
use fountain_structure::content::content_items;

/// Brings the script back to a version (title data, characters, sections, elements and
/// paraphrases) as one new revision of the script, with ScriptRestored. Only what differs
/// is written. Other changes wait (409) while it runs.
#[utoipa::path(post, path = "/scripts/{scriptId}/versions/{versionId}/restore", tag = "versions", operation_id = "restore_version",
    params(("scriptId" = String, Path), ("versionId" = String, Path)),
    request_body(content = Option<RestoreVersion>, description = "Optional: a comment"),
    responses((status = 200, body = Restored), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "Another restore holds the script"),
        (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn restore_version(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let version_id = path_param(&req, "versionId")?;
        let input: RestoreVersion = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        // Read, not Write: a restore may take over the lock of one that died.
        let access = authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        if access.role < Role::Editor {
            return Err(ApiError::Forbidden(
                "a viewer of this script may not restore it; it needs the editor role".into(),
            ));
        }
        let version = load_version(deps, &script_id, &version_id).await?;
        let target = store::snapshot(&deps.table, &version).await?;
        let wanted = target.script()?;
        let lock = lock(&deps.table, &script_id, &version_id)
            .await
            .map_err(|e| match e {
                LockError::ScriptGone => ApiError::NotFound("script"),
                LockError::Held(held) => ApiError::Conflict(format!(
                    "version {} is being restored; retry in a moment",
                    held.version_id
                )),
                LockError::Store(store) => store.into(),
            })?;
        let restored = restore(
            deps,
            &ctx,
            &version,
            target.to_items()?,
            wanted,
            &lock,
            input.comment,
        )
        .await;
        if restored.is_err() {
            give_up(&deps.table, &script_id, &lock).await;
        }
        let restored = restored?;
        let revision = restored.revision;
        json(200, &restored, Some(etag(revision)))
    })
    .await
}

/// The restore itself, under `lock`.
async fn restore(
    deps: &TableDeps,
    ctx: &Ctx,
    version: &Version,
    target: Vec<fountain_store::Item>,
    wanted: Script,
    lock: &RestoreLock,
    comment: Option<String>,
) -> Result<Restored, ApiError> {
    let current = content_items(&deps.table, &version.script_id, None).await?;
    let Some(now) = current
        .iter()
        .find(|item| string_attribute(item, "sk") == Some(Script::SK))
        .cloned()
        .map(Script::from_item)
        .transpose()?
    else {
        return Err(ApiError::NotFound("script"));
    };
    let elements = target
        .iter()
        .filter(|item| string_attribute(item, "sk").is_some_and(|sk| sk.starts_with(keys::ELEMENT)))
        .count() as u64;
    let plan = RestorePlan::new(&version.script_id, &current, &target);
    let (written, deleted) = (plan.puts.len(), plan.deletes.len());
    plan.apply(&deps.table).await?;
    let script = Script {
        title: wanted.title,
        author: wanted.author,
        description: wanted.description,
        revision: now.revision + 1,
        updated_at: Utc::now(),
        comment: comment.clone(),
        restore_lock: None,
        ..now
    };
    let event = ScriptRestored {
        script_id: script.script_id.clone(),
        version_id: version.version_id.clone(),
        revision: script.revision,
        written,
        deleted,
        comment,
    };
    finish(
        &deps.table,
        &ctx.principal.user_id,
        &script,
        elements,
        lock,
        &ctx.envelope(&event)?,
    )
    .await
    .map_err(|e| match e {
        e if e.refused(LOCK_LOST) => ApiError::Conflict(
            "another restore took the script over; it decides what the script holds".into(),
        ),
        StoreError::Refused { .. } => ApiError::NotFound("script"),
        other => other.into(),
    })?;
    Ok(Restored {
        script_id: script.script_id,
        version_id: version.version_id.clone(),
        revision: script.revision,
        written,
        deleted,
    })
}
