use chrono::Utc;
use fountain_events::catalog::InvitationAccepted;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, TableDeps, json, json_body, serve,
};
use fountain_identity::{account_email, email_key, tokens, verified_email};
use fountain_scripts::access::Membership;
use fountain_store::StoreError;
use tracing::{error, warn};

use crate::model::AcceptInvitation;
use crate::store;

/// How often the compensation is tried before the failure is left to an operator.
const COMPENSATION_ATTEMPTS: u32 = 3;

/// Accepts an invitation with the token of its email: the caller, signed in with the
/// invited address verified, becomes a member.
///
/// A saga: (1) the invitation is consumed (pending -> accepted, once); (2) the membership is
/// written with its event. When (2) fails (the script is gone, the caller is a member
/// already, the store fails) the compensation of (1) puts the invitation back to pending.
#[utoipa::path(post, path = "/invitations/accept", tag = "collaboration", operation_id = "accept_invitation",
    request_body = AcceptInvitation,
    responses((status = 200, body = Membership), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem, description = "The invitation is for another email address, or the caller's address is not verified yet"),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "Used, revoked, expired, or a member already")),
    security(("bearer" = [])))]
pub async fn accept_invitation(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: AcceptInvitation = json_body(&req, deps.max_body_bytes)?;
        let user_id = ctx.principal.user_id.clone();
        let invitation = store::find_by_token(&deps.table, &tokens::hash(&input.token))
            .await?
            .ok_or(ApiError::NotFound("invitation"))?;
        let email = account_email(&deps.table, &user_id).await?;
        if email.as_deref().map(email_key) != Some(email_key(&invitation.email)) {
            return Err(ApiError::Forbidden("the invitation is for another email address".into()));
        }
        // Anyone can register any address; only its reader can verify it (decision 47).
        if verified_email(&deps.table, &user_id).await?.is_none() {
            return Err(ApiError::Forbidden(
                "verify your email address first (the verification email, or POST /me/email-verification)".into(),
            ));
        }
        if invitation.status != "pending" || invitation.expires_at <= Utc::now().timestamp_millis() {
            return Err(ApiError::Conflict("the invitation was used, revoked or has expired".into()));
        }

        // Step 1: consume the invitation, once.
        match store::consume(&deps.table, &invitation, &user_id).await {
            Err(StoreError::ConditionFailed) => {
                return Err(ApiError::Conflict("the invitation was used, revoked or has expired".into()));
            }
            other => other?,
        }

        // Step 2: the membership and its event.
        let membership = Membership {
            script_id: invitation.script_id.clone(),
            user_id: user_id.clone(),
            role: invitation.role,
            added_at: Utc::now(),
        };
        let event = InvitationAccepted {
            script_id: invitation.script_id.clone(),
            invitation_id: invitation.invitation_id.clone(),
            user_id: user_id.clone(),
            role: invitation.role.as_str().into(),
        };
        let joined = store::join(&deps.table, &invitation, &membership, &ctx.envelope(&event)?).await;
        let Err(failure) = joined else {
            return json(200, &membership, None);
        };

        // Compensation of step 1: nothing half-done remains.
        warn!(invitation_id = invitation.invitation_id, error = %failure, "membership not written; compensating");
        let mut compensated = false;
        for _ in 0..COMPENSATION_ATTEMPTS {
            match store::unconsume(&deps.table, &invitation, &user_id).await {
                Ok(()) => {
                    compensated = true;
                    break;
                }
                Err(e) => warn!(error = %e, "compensation attempt failed"),
            }
        }
        if !compensated {
            error!(invitation_id = invitation.invitation_id, "compensation failed: the invitation stays consumed");
        }
        Err(if failure.refused(store::SCRIPT_GONE) {
            ApiError::NotFound("script")
        } else if failure.refused(store::ALREADY_MEMBER) {
            ApiError::Conflict("you are a member of this script already".into())
        } else {
            failure.into()
        })
    })
    .await
}
