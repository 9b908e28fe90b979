use chrono::Utc;
use fountain_events::catalog::ContextUpdated;
use fountain_http::{
    Access, Body, Problem, Request, Response, etag, json, json_body, require_if_match, serve,
};

use super::{own_entry, still_active};
use crate::Deps;
use crate::model::{ContextEntry, UpdateContextEntry};
use crate::store;

/// Changes a context entry's key or value (not its scope); needs If-Match with its ETag.
#[utoipa::path(patch, path = "/sessions/{sessionId}/context/{entryId}", tag = "sessions", operation_id = "update_context_entry",
    params(("sessionId" = String, Path), ("entryId" = String, Path), ("If-Match" = String, Header)),
    request_body = UpdateContextEntry,
    responses((status = 200, body = ContextEntry), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "The session ended, or the new key is taken in the entry's scope"),
        (status = 412, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_context_entry(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: UpdateContextEntry = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        let if_match = require_if_match(&req)?;
        let (session, before) = own_entry(deps, &req, &ctx.principal).await?;
        still_active(&session)?;
        if_match.check(before.revision, "context entry")?;
        let after = input.apply(&before, Utc::now());
        let event = ContextUpdated {
            session_id: after.session_id.clone(),
            entry_id: after.entry_id.clone(),
            script_id: session.script_id.clone(),
            character_id: after.character_id.clone(),
            operation: "updated".into(),
            key: after.key.clone(),
            previous_key: (after.key != before.key).then(|| before.key.clone()),
            value: Some(after.value.clone()),
            revision: after.revision,
            comment: after.comment.clone(),
        };
        let envelope = ctx.envelope(&event)?;
        store::replace_entry(&deps.table, &session, &before, &after, &envelope).await?;
        json(200, &after, Some(etag(after.revision)))
    })
    .await
}
