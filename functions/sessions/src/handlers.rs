//! One handler per API operation, each the whole of one Lambda function.

mod context_create;
mod context_delete;
mod context_get;
mod context_list;
mod context_update;
mod end;
mod get;
mod list;
mod start;

pub use context_create::*;
pub use context_delete::*;
pub use context_get::*;
pub use context_list::*;
pub use context_update::*;
pub use end::*;
pub use get::*;
pub use list::*;
pub use start::*;

use fountain_http::{ApiError, Principal, Request, path_param};

use crate::Deps;
use crate::model::{ContextEntry, Session, SessionState};
use crate::store;

/// The caller's session named by the path. Sessions live in their owner's partition, so
/// anyone else's id finds nothing here: 404, never a hint that it exists.
async fn own_session(
    deps: &Deps,
    req: &Request,
    principal: &Principal,
) -> Result<Session, ApiError> {
    let session_id = path_param(req, "sessionId")?;
    store::load_session(&deps.table, &principal.user_id, &session_id)
        .await?
        .ok_or(ApiError::NotFound("session"))
}

/// The caller's session and the context entry named by the path, read together.
async fn own_entry(
    deps: &Deps,
    req: &Request,
    principal: &Principal,
) -> Result<(Session, ContextEntry), ApiError> {
    let session_id = path_param(req, "sessionId")?;
    let entry_id = path_param(req, "entryId")?;
    let (session, entry) = tokio::join!(
        store::load_session(&deps.table, &principal.user_id, &session_id),
        store::load_entry(&deps.table, &session_id, &entry_id)
    );
    let session = session?.ok_or(ApiError::NotFound("session"))?;
    let entry = entry?.ok_or(ApiError::NotFound("context entry"))?;
    Ok((session, entry))
}

/// An ended session keeps its context as it was: changes are 409.
fn still_active(session: &Session) -> Result<(), ApiError> {
    match (session.state, session.ended_at) {
        (SessionState::Active, _) => Ok(()),
        (SessionState::Ended, Some(at)) => Err(ApiError::Conflict(format!(
            "the session ended at {}; its context can no longer change",
            at.to_rfc3339()
        ))),
        (SessionState::Ended, None) => Err(ApiError::Conflict(
            "the session ended; its context can no longer change".into(),
        )),
    }
}
