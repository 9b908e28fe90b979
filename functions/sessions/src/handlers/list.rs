use fountain_http::{
    Access, Body, Problem, Request, Response, json, page_limit, query_param, serve,
};

use crate::Deps;
use crate::listing::SessionListing;
use crate::model::SessionPage;
use crate::store;

/// Lists the caller's sessions, newest first: all of them, or those in one `state`.
#[utoipa::path(get, path = "/sessions", tag = "sessions", operation_id = "list_sessions",
    params(("state" = inline(Option<crate::model::SessionState>), Query, description = "active or ended"),
        ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = SessionPage), (status = 400, body = Problem), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_sessions(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let listing = SessionListing::from_request(&req)?;
        let limit = page_limit(&req)?;
        let cursor = query_param(&req, "cursor");
        let page = store::list_sessions(
            &deps.table,
            &ctx.principal.user_id,
            listing,
            limit,
            cursor.as_deref(),
        )
        .await?;
        json(
            200,
            &SessionPage {
                items: page.items,
                next_cursor: page.next_cursor,
            },
            None,
        )
    })
    .await
}
