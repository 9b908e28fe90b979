use chrono::Utc;
use fountain_events::catalog::SessionEnded;
use fountain_http::{
    Access, Body, Checks, Problem, Request, Response, etag, json, optional_json_body, serve,
};

use super::own_session;
use crate::Deps;
use crate::model::{EndSession, SessionState};
use crate::store::{self, WriteError};

/// Ends one of the caller's sessions; its context stays readable and no longer changes.
/// Ending an ended session changes nothing and returns it as it is (no second event), so a
/// retried request is safe.
#[utoipa::path(post, path = "/sessions/{sessionId}/end", tag = "sessions", operation_id = "end_session",
    params(("sessionId" = String, Path)),
    request_body(content = Option<EndSession>, description = "Optional comment"),
    responses((status = 200, body = crate::model::Session), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn end_session(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: EndSession = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        let session = own_session(deps, &req, &ctx.principal).await?;
        if session.state == SessionState::Ended {
            return json(200, &session, Some(etag(session.revision)));
        }
        let ended = session.ended(Utc::now(), input.comment);
        let event = SessionEnded {
            session_id: ended.session_id.clone(),
            owner_id: ended.owner_id.clone(),
            script_id: ended.script_id.clone(),
            revision: ended.revision,
            comment: ended.comment.clone(),
        };
        let envelope = ctx.envelope(&event)?;
        match store::end(&deps.table, &ended, &envelope).await {
            Ok(()) => json(200, &ended, Some(etag(ended.revision))),
            // Ended by a concurrent request: that end stands, and this one returns it.
            Err(WriteError::SessionChanged) => {
                let now = own_session(deps, &req, &ctx.principal).await?;
                if now.state == SessionState::Ended {
                    json(200, &now, Some(etag(now.revision)))
                } else {
                    Err(WriteError::SessionChanged.into())
                }
            }
            Err(other) => Err(other.into()),
        }
    })
    .await
}
