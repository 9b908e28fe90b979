use chrono::Utc;
use fountain_events::catalog::ContextUpdated;
use fountain_events::ids::{is_id, new_id};
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, created, etag, json_body, serve,
};

use super::{own_session, still_active};
use crate::Deps;
use crate::model::{ContextEntry, CreateContextEntry, MAX_ENTRIES};
use crate::store::{self, unknown_character};

/// Adds a context entry to one of the caller's active sessions: for the whole session, or
/// scoped to a character of the session's script (checked in the write's transaction). A
/// key is unique in its scope, ignoring case; the value is kept exactly as sent.
#[utoipa::path(post, path = "/sessions/{sessionId}/context", tag = "sessions", operation_id = "create_context_entry",
    params(("sessionId" = String, Path)),
    request_body = CreateContextEntry,
    responses((status = 201, body = ContextEntry),
        (status = 400, body = Problem, description = "Unknown character, or a character for a session bound to no script"),
        (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "The session ended or is full, or the key is taken in that scope"),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_context_entry(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated,
        req,
        |ctx, req| async move {
            let input: CreateContextEntry = json_body(&req, deps.max_body_bytes)?;
            input.validate()?;
            let session = own_session(deps, &req, &ctx.principal).await?;
            still_active(&session)?;
            if let Some(character_id) = &input.character_id {
                if session.script_id.is_none() {
                    return Err(ApiError::BadRequest(
                        "characterId: the session is bound to no script, so its context has no characters".into(),
                    ));
                }
                if !is_id(character_id) {
                    return Err(unknown_character(character_id));
                }
            }
            if session.entry_count >= MAX_ENTRIES {
                return Err(ApiError::Conflict(format!(
                    "the session holds {MAX_ENTRIES} context entries, the most it may; remove one first"
                )));
            }
            let now = Utc::now();
            let entry = ContextEntry {
                entry_id: new_id(),
                session_id: session.session_id.clone(),
                character_id: input.character_id,
                key: input.key.trim().to_owned(),
                value: input.value,
                revision: 1,
                created_at: now,
                updated_at: now,
                comment: input.comment,
            };
            let event = ContextUpdated {
                session_id: entry.session_id.clone(),
                entry_id: entry.entry_id.clone(),
                script_id: session.script_id.clone(),
                character_id: entry.character_id.clone(),
                operation: "added".into(),
                key: entry.key.clone(),
                previous_key: None,
                value: Some(entry.value.clone()),
                revision: entry.revision,
                comment: entry.comment.clone(),
            };
            let envelope = ctx.envelope(&event)?;
            store::add_entry(&deps.table, &session, &entry, &envelope).await?;
            let location = format!(
                "/sessions/{}/context/{}",
                entry.session_id, entry.entry_id
            );
            created(&location, &entry, etag(entry.revision))
        },
    )
    .await
}
