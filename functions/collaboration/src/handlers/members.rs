use fountain_events::catalog::MemberRemoved;
use fountain_http::{
    Access, ApiError, Body, Checks, Problem, Request, Response, TableDeps, json, no_content,
    optional_json_body, path_param, serve,
};
use fountain_scripts::access::{Permission, Role, authorize, membership};

use crate::model::MemberList;
use crate::store;
use fountain_http::DeleteRequest;

/// The script's members and their roles (any member).
#[utoipa::path(get, path = "/scripts/{scriptId}/members", tag = "collaboration", operation_id = "list_members",
    params(("scriptId" = String, Path)),
    responses((status = 200, body = MemberList), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_members(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        json(
            200,
            &MemberList {
                items: store::members(&deps.table, &script_id).await?,
            },
            None,
        )
    })
    .await
}

/// Removes a member (owner only; the owner cannot be removed).
#[utoipa::path(delete, path = "/scripts/{scriptId}/members/{userId}", tag = "collaboration", operation_id = "remove_member",
    params(("scriptId" = String, Path), ("userId" = String, Path)),
    request_body(content = Option<DeleteRequest>, description = "Optional comment"),
    responses((status = 204, description = "Removed"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "The owner cannot be removed")),
    security(("bearer" = [])))]
pub async fn remove_member(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let user_id = path_param(&req, "userId")?;
        let input: DeleteRequest = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Own).await?;
        let member = membership(&deps.table, &script_id, &user_id)
            .await?
            .ok_or(ApiError::NotFound("member"))?;
        if member.role == Role::Owner {
            return Err(ApiError::Conflict("the owner cannot be removed".into()));
        }
        let event = MemberRemoved {
            script_id: script_id.clone(),
            user_id: user_id.clone(),
            role: member.role.as_str().into(),
            comment: input.comment,
        };
        match store::remove_member(&deps.table, &script_id, &user_id, &ctx.envelope(&event)?).await
        {
            Err(e) if e.refused(store::NOT_REMOVABLE) => Err(ApiError::NotFound("member")),
            other => other.map_err(ApiError::from),
        }?;
        no_content()
    })
    .await
}
