use fountain_http::{Access, Body, Problem, Request, Response, json, serve};

use crate::IdentityDeps;
use crate::model::Me;
use crate::store;

/// The caller's profile.
#[utoipa::path(get, path = "/me", tag = "identity", operation_id = "get_me",
    responses((status = 200, body = Me), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_me(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, _req| async move {
        let user = store::find(&deps.table, &ctx.principal.user_id).await?;
        let me = Me {
            user_id: ctx.principal.user_id.clone(),
            email: user.as_ref().map(|u| u.email.clone()),
            roles: ctx.principal.roles.clone(),
            created_at: user.as_ref().map(|u| u.created_at),
            email_verified: user.is_some_and(|u| u.email_verified),
        };
        json(200, &me, None)
    })
    .await
}
