use chrono::Utc;
use fountain_events::catalog::SessionStarted;
use fountain_events::ids::new_id;
use fountain_http::{Access, Body, Problem, Request, Response, created, etag, json_body, serve};
use fountain_scripts::access::{Permission, authorize};

use crate::Deps;
use crate::model::{Session, SessionState, StartSession};
use crate::store;

/// Starts a working session of the caller, optionally bound to a script the caller can read
/// (any role); a script the caller cannot see is 404.
#[utoipa::path(post, path = "/sessions", tag = "sessions", operation_id = "start_session",
    request_body = StartSession,
    responses((status = 201, body = Session), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem, description = "The script is not visible to the caller"),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn start_session(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: StartSession = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        if let Some(script_id) = &input.script_id {
            authorize(&deps.table, script_id, &ctx.principal, Permission::Read).await?;
        }
        let now = Utc::now();
        let session = Session {
            session_id: new_id(),
            owner_id: ctx.principal.user_id.clone(),
            script_id: input.script_id,
            title: input.title.map(|t| t.trim().to_owned()),
            state: SessionState::Active,
            revision: 1,
            entry_count: 0,
            created_at: now,
            updated_at: now,
            ended_at: None,
            comment: input.comment,
        };
        let event = SessionStarted {
            session_id: session.session_id.clone(),
            owner_id: session.owner_id.clone(),
            script_id: session.script_id.clone(),
            title: session.title.clone(),
            revision: session.revision,
            comment: session.comment.clone(),
        };
        let envelope = ctx.envelope(&event)?;
        store::start(&deps.table, &session, &envelope).await?;
        let location = format!("/sessions/{}", session.session_id);
        created(&location, &session, etag(session.revision))
    })
    .await
}
