use chrono::{Duration, Utc};
use fountain_events::catalog::{CollaboratorInvited, InvitationRevoked};
use fountain_events::ids::new_id;
use fountain_http::DeleteRequest;
use fountain_http::{
    Access, ApiError, Body, Checks, Problem, Request, Response, TableDeps, created, etag, json,
    json_body, no_content, optional_json_body, page_limit, path_param, query_param, serve,
};
use fountain_scripts::access::{Permission, authorize};

use crate::model::{CreateInvitation, INVITATION_DAYS, Invitation, InvitationPage, InvitationView};
use crate::store;

/// Invites someone by email (owner only). The invitee receives an email with a single-use
/// token that expires in 7 days, and accepts it signed in with that verified address.
#[utoipa::path(post, path = "/scripts/{scriptId}/invitations", tag = "collaboration", operation_id = "create_invitation",
    params(("scriptId" = String, Path)),
    request_body = CreateInvitation,
    responses((status = 201, body = InvitationView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_invitation(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let input: CreateInvitation = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Own).await?;
        let now = Utc::now();
        let invitation = Invitation {
            invitation_id: new_id(),
            script_id,
            email: input.email.trim().to_owned(),
            role: input.role,
            status: "pending".into(),
            invited_by: ctx.principal.user_id.clone(),
            created_at: now,
            expires_at: (now + Duration::days(INVITATION_DAYS)).timestamp_millis(),
            accepted_by: None,
            token_hash: None,
        };
        let event = CollaboratorInvited {
            script_id: invitation.script_id.clone(),
            invitation_id: invitation.invitation_id.clone(),
            email: invitation.email.clone(),
            role: invitation.role.as_str().to_owned(),
            expires_at: invitation.expires_at,
            comment: input.comment,
        };
        store::insert_invitation(&deps.table, &invitation, &ctx.envelope(&event)?)
            .await
            .map_err(|e| {
                if e.refused(store::SCRIPT_GONE) {
                    ApiError::NotFound("script")
                } else {
                    e.into()
                }
            })?;
        let body = invitation.view();
        let location = format!(
            "/scripts/{}/invitations/{}",
            invitation.script_id, invitation.invitation_id
        );
        created(&location, &body, etag(1))
    })
    .await
}

/// The script's invitations, pending or not (owner only).
#[utoipa::path(get, path = "/scripts/{scriptId}/invitations", tag = "collaboration", operation_id = "list_invitations",
    params(("scriptId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = InvitationPage), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_invitations(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let limit = page_limit(&req)?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Own).await?;
        let cursor = query_param(&req, "cursor");
        let page =
            store::list_invitations(&deps.table, &script_id, limit, cursor.as_deref()).await?;
        let body = InvitationPage {
            items: page.items.iter().map(Invitation::view).collect(),
            next_cursor: page.next_cursor,
        };
        json(200, &body, None)
    })
    .await
}

/// Revokes a pending invitation (owner only); its token stops working.
#[utoipa::path(delete, path = "/scripts/{scriptId}/invitations/{invitationId}", tag = "collaboration", operation_id = "revoke_invitation",
    params(("scriptId" = String, Path), ("invitationId" = String, Path)),
    request_body(content = Option<DeleteRequest>, description = "Optional comment"),
    responses((status = 204, description = "Revoked"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "Not pending any more")),
    security(("bearer" = [])))]
pub async fn revoke_invitation(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let invitation_id = path_param(&req, "invitationId")?;
        let input: DeleteRequest = optional_json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Own).await?;
        let invitation = store::load_invitation(&deps.table, &script_id, &invitation_id)
            .await?
            .ok_or(ApiError::NotFound("invitation"))?;
        let event = InvitationRevoked {
            script_id,
            invitation_id,
            comment: input.comment,
        };
        match store::revoke(&deps.table, &invitation, &ctx.envelope(&event)?).await {
            Err(e) if e.refused(store::NOT_PENDING) => Err(ApiError::Conflict(format!(
                "the invitation is {}, not pending",
                invitation.status
            ))),
            other => other.map_err(ApiError::from),
        }?;
        no_content()
    })
    .await
}
