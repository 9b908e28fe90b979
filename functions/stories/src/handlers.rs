//! `get_story`: the assembled story of a script, whole or by element range, optionally
//! enriched by a session's context.

use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, TableDeps, json, path_param, query_param,
    serve,
};
use fountain_scripts::access::{Permission, authorize};

use crate::context::{apply, session_context};
use crate::current::cached_or_assembled;
use crate::model::Story;

/// Tells whether the story came from the cache (`hit`) or was assembled (`miss`).
pub const CACHE_HEADER: &str = "x-story-cache";

/// The script's story: title data, sections in order, each with its elements in order
/// (numbered across the whole script), dialogue with its character's name. `from`/`to`
/// keep only the elements numbered in that range; `sessionId` adds that session's context
/// (per character and global). Served from the cache while the script's content is
/// unchanged.
#[utoipa::path(get, path = "/scripts/{scriptId}/story", tag = "stories", operation_id = "get_story",
    params(("scriptId" = String, Path),
        ("from" = Option<usize>, Query, minimum = 1, description = "First element (1-based, across the script)"),
        ("to" = Option<usize>, Query, minimum = 1, description = "Last element (inclusive)"),
        ("sessionId" = Option<String>, Query, description = "A session of the caller whose context enriches the story")),
    responses((status = 200, body = Story, headers(("x-story-cache" = String, description = "hit or miss"))),
        (status = 400, body = Problem, description = "A bad range, or a session bound to another script"),
        (status = 401, body = Problem), (status = 404, body = Problem, description = "No such script or session")),
    security(("bearer" = [])))]
pub async fn get_story(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let range = requested_range(&req)?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        let entries = match query_param(&req, "sessionId") {
            Some(session_id) => Some(
                session_context(&deps.table, &ctx.principal.user_id, &session_id, &script_id)
                    .await?,
            ),
            None => None,
        };
        let (mut story, hit) = cached_or_assembled(&deps.table, &script_id).await?;
        if let Some((from, to)) = range {
            story = story.range(from, to);
        }
        if let Some(entries) = entries {
            story = apply(story, entries);
        }
        let mut response = json(200, &story, None)?;
        response.headers_mut().insert(
            CACHE_HEADER,
            lambda_http::http::HeaderValue::from_static(if hit { "hit" } else { "miss" }),
        );
        Ok(response)
    })
    .await
}

/// `from` and `to` (both optional, 1-based, inclusive).
fn requested_range(req: &Request) -> Result<Option<(usize, usize)>, ApiError> {
    let bound = |name: &str| -> Result<Option<usize>, ApiError> {
        query_param(req, name)
            .map(|raw| {
                raw.parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| ApiError::BadRequest(format!("{name} must be a number from 1")))
            })
            .transpose()
    };
    match (bound("from")?, bound("to")?) {
        (None, None) => Ok(None),
        (from, to) => {
            let (from, to) = (from.unwrap_or(1), to.unwrap_or(usize::MAX));
            if to < from {
                return Err(ApiError::BadRequest("to must not be before from".into()));
            }
            Ok(Some((from, to)))
        }
    }
}
