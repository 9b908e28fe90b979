use chrono::Utc;
use fountain_events::catalog::UserLoggedOut;
use fountain_http::{Access, Body, Problem, Request, Response, no_content, serve};

use crate::IdentityDeps;
use crate::store;

/// Logs out everywhere: every access and refresh token of the caller issued until now stops
/// working at once (the authorizer checks the revocation on every request).
#[utoipa::path(post, path = "/auth/logout", tag = "identity", operation_id = "logout",
    responses((status = 204, description = "Logged out"), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn logout(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, _req| async move {
        let user_id = ctx.principal.user_id.clone();
        let revoked_before = Utc::now().timestamp_millis() + 1;
        let envelope = ctx.envelope(&UserLoggedOut {
            user_id: user_id.clone(),
            revoked_before,
        })?;
        store::revoke_all(&deps.table, &user_id, revoked_before, &envelope).await?;
        no_content()
    })
    .await
}
