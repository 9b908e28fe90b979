use fountain_http::{
    Access, Body, Problem, Request, Response, json, page_limit, query_param, serve,
};

use super::own_session;
use crate::Deps;
use crate::listing::ContextListing;
use crate::model::ContextEntryPage;
use crate::store;

/// Lists the context of one of the caller's sessions in creation order: every entry, or
/// those scoped to one character (`characterId`).
#[utoipa::path(get, path = "/sessions/{sessionId}/context", tag = "sessions", operation_id = "list_context_entries",
    params(("sessionId" = String, Path),
        ("characterId" = Option<String>, Query, description = "Only the entries scoped to this character"),
        ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = ContextEntryPage), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_context_entries(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let listing = ContextListing::from_request(&req);
        let limit = page_limit(&req)?;
        let cursor = query_param(&req, "cursor");
        let session = own_session(deps, &req, &ctx.principal).await?;
        let page = store::list_entries(
            &deps.table,
            &session.session_id,
            &listing,
            limit,
            cursor.as_deref(),
        )
        .await?;
        json(
            200,
            &ContextEntryPage {
                items: page.items,
                next_cursor: page.next_cursor,
            },
            None,
        )
    })
    .await
}
