use fountain_http::{
    Access, Body, Problem, Request, Response, json, page_limit, path_param, query_param, serve,
};
use fountain_scripts::access::{Permission, authorize};

use crate::Deps;
use crate::listing::Listing;
use crate::model::ParaphrasePage;
use crate::store;

/// Lists a script's paraphrases in creation order, or those of one target (`targetType` and
/// `targetId` together). A target that is not in the script has none; paraphrases stay
/// listed by their target after it is deleted.
#[utoipa::path(get, path = "/scripts/{scriptId}/paraphrases", tag = "paraphrases", operation_id = "list_paraphrases",
    params(("scriptId" = String, Path),
        ("targetType" = inline(Option<crate::target::TargetType>), Query, description = "character, section or element; with targetId"),
        ("targetId" = Option<String>, Query, description = "The target's id; with targetType"),
        ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = ParaphrasePage), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_paraphrases(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let listing = Listing::from_request(&req)?;
        let limit = page_limit(&req)?;
        let cursor = query_param(&req, "cursor");
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        let page = store::list(&deps.table, &script_id, &listing, limit, cursor.as_deref()).await?;
        json(
            200,
            &ParaphrasePage {
                items: page.items,
                next_cursor: page.next_cursor,
            },
            None,
        )
    })
    .await
}
