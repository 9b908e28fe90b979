//! The `send_email` consumer: each event that calls for an email becomes one message, its
//! token minted just before it is sent. An event whose recipient is gone, verified already
//! or no longer invited sends nothing. A failed send is retried by the queue (a new token
//! each time; the unsent ones were never seen); an address SES refuses is logged and dropped.

use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message as SesMessage};
use chrono::{DateTime, Utc};
use fountain_events::catalog::{
    CollaboratorInvited, EmailVerificationRequested, PasswordResetRequested, RegistrationRepeated,
    UserRegistered,
};
use fountain_identity::mail_tokens::{self, Purpose};
use fountain_runtime::consumer::Delivered;
use fountain_store::StoreError;
use tracing::{info, warn};

use crate::deps::MailDeps;
use crate::messages::{self, Message};

fountain_events::one_of! {
    /// The events that send an email (their rule in template.yaml delivers these).
    pub enum Mailing {
        UserRegistered,
        RegistrationRepeated,
        EmailVerificationRequested,
        PasswordResetRequested,
        CollaboratorInvited,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error("SES did not take the message: {0}")]
    Send(String),
}

pub async fn send_email(deps: &MailDeps, delivered: Delivered<Mailing>) -> Result<(), MailError> {
    let now = Utc::now();
    let message = match &delivered.event {
        Mailing::UserRegistered(UserRegistered { user_id, .. })
        | Mailing::EmailVerificationRequested(EmailVerificationRequested { user_id }) => {
            address_and_token(deps, user_id, Purpose::VerifyEmail, now)
                .await?
                .map(|(to, token)| messages::verify_email(&to, &deps.app_url, &token))
        }
        Mailing::RegistrationRepeated(RegistrationRepeated { user_id }) => {
            fountain_identity::store::find(&deps.table, user_id)
                .await?
                .map(|user| messages::registration_repeated(&user.email, &deps.app_url))
        }
        Mailing::PasswordResetRequested(PasswordResetRequested { user_id }) => {
            address_and_token(deps, user_id, Purpose::ResetPassword, now)
                .await?
                .map(|(to, token)| messages::password_reset(&to, &deps.app_url, &token))
        }
        Mailing::CollaboratorInvited(invited) => invitation(deps, invited, now).await?,
    };
    let Some(message) = message else {
        info!(
            event_type = delivered.envelope.event_type,
            "nothing to send: the recipient is gone or needs no email any more"
        );
        return Ok(());
    };
    send(deps, &message).await?;
    info!(event_type = delivered.envelope.event_type, "email sent");
    Ok(())
}

/// The account's address and a new token of `purpose` for it: `None` when the account is
/// gone, or (for a verification) verified already.
async fn address_and_token(
    deps: &MailDeps,
    user_id: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<(String, String)>, MailError> {
    let Some(user) = fountain_identity::store::find(&deps.table, user_id).await? else {
        return Ok(None);
    };
    if purpose == Purpose::VerifyEmail && user.email_verified {
        return Ok(None);
    }
    let token = mail_tokens::issue(&deps.table, purpose, user_id, now).await?;
    Ok(Some((user.email, token)))
}

async fn invitation(
    deps: &MailDeps,
    invited: &CollaboratorInvited,
    now: DateTime<Utc>,
) -> Result<Option<Message>, MailError> {
    use fountain_collaboration::invitation_tokens;
    let Some(invitation) =
        invitation_tokens::pending(&deps.table, &invited.script_id, &invited.invitation_id, now)
            .await?
    else {
        return Ok(None);
    };
    let Some(script) = fountain_scripts::load_script(&deps.table, &invitation.script_id).await?
    else {
        return Ok(None);
    };
    let Some(token) = invitation_tokens::issue(&deps.table, &invitation).await? else {
        return Ok(None);
    };
    let expires_at = DateTime::from_timestamp_millis(invitation.expires_at).unwrap_or(now);
    Ok(Some(messages::invitation(
        &invitation.email,
        &deps.app_url,
        &token,
        &script.title,
        invitation.role.as_str(),
        expires_at,
    )))
}

fn content(text: &str) -> Result<Content, MailError> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|e| MailError::Build(e.to_string()))
}

async fn send(deps: &MailDeps, message: &Message) -> Result<(), MailError> {
    let email = SesMessage::builder()
        .subject(content(&message.subject)?)
        .body(Body::builder().text(content(&message.text)?).build())
        .build();
    let sent = deps
        .ses
        .send_email()
        .from_email_address(&deps.from)
        .destination(Destination::builder().to_addresses(&message.to).build())
        .content(EmailContent::builder().simple(email).build())
        .send()
        .await;
    match sent {
        Ok(_) => Ok(()),
        // The address itself is refused: sending again would not help.
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_message_rejected() || e.is_not_found_exception()) =>
        {
            warn!(error = %aws_sdk_sesv2::error::DisplayErrorContext(&e), "SES refused the address; the email is dropped");
            Ok(())
        }
        Err(e) => Err(MailError::Send(
            aws_sdk_sesv2::error::DisplayErrorContext(&e).to_string(),
        )),
    }
}
