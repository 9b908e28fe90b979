use chrono::Utc;
use fountain_events::catalog::RolesChanged;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, json, json_body, path_param, serve,
};

use crate::IdentityDeps;
use crate::model::{SetRoles, UserRoles};
use crate::store;

/// Sets a user's roles (administrators only), audited with RolesChanged. The user's tokens
/// issued until now stop working, so the next ones carry the new roles at once. An
/// administrator cannot take their own admin role (someone must remain).
#[utoipa::path(put, path = "/admin/users/{userId}/roles", tag = "identity", operation_id = "set_roles",
    params(("userId" = String, Path)),
    request_body = SetRoles,
    responses((status = 200, body = UserRoles), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "The caller's own admin role, or the roles changed meanwhile"),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_roles(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |ctx, req| async move {
        let user_id = path_param(&req, "userId")?;
        let input: SetRoles = json_body(&req, deps.max_body_bytes)?;
        let roles = input.validate()?;
        if user_id == ctx.principal.user_id && !roles.iter().any(|r| r == "admin") {
            return Err(ApiError::Conflict(
                "an administrator cannot take their own admin role; another administrator can"
                    .into(),
            ));
        }
        let user = store::find(&deps.table, &user_id)
            .await?
            .ok_or(ApiError::NotFound("user"))?;
        let revoked_before = Utc::now().timestamp_millis() + 1;
        let event = RolesChanged {
            user_id: user_id.clone(),
            roles: roles.clone(),
            previous_roles: user.roles.clone(),
            granted_by: "admin".into(),
            revoked_before: Some(revoked_before),
            comment: input.comment,
        };
        store::set_roles(
            &deps.table,
            &user_id,
            &user.roles,
            &roles,
            revoked_before,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(|e| {
            if e.refused(store::ROLES_CHANGED) {
                ApiError::Conflict("the user's roles changed meanwhile; read and try again".into())
            } else {
                e.into()
            }
        })?;
        json(200, &UserRoles { user_id, roles }, None)
    })
    .await
}
