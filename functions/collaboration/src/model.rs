use chrono::{DateTime, Utc};
use fountain_http::text_schema::non_blank;
use fountain_http::{ApiError, Checks, FieldError, MAX_EMAIL_CHARS};
use fountain_scripts::access::{Membership, Role};
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item, keys};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long an invitation can be accepted.
pub const INVITATION_DAYS: i64 = 7;

/// An invitation (`SCRIPT#<id>` / `INVITE#<invitationId>`). Its token is minted by the
/// mailer, which emails it to the invitee (decision 47), and stored only as a hash: in a
/// lookup item `INVITETOKEN#<hash>` and in `tokenHash`, so a token sent again replaces the
/// earlier one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub invitation_id: String,
    pub script_id: String,
    pub email: String,
    pub role: Role,
    /// `pending`, `accepted` or `revoked`.
    pub status: String,
    pub invited_by: String,
    pub created_at: DateTime<Utc>,
    /// Epoch milliseconds, compared in code. Stored as `expiresAtMs`: the table's TTL
    /// attribute `expiresAt` is in seconds, and invitations are kept after they expire.
    #[serde(rename = "expiresAtMs")]
    pub expires_at: i64,
    pub accepted_by: Option<String>,
    /// The hash of the token last emailed; absent until the email is sent (and on
    /// invitations made before decision 47, whose lookup alone holds the hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_hash: Option<String>,
}

impl Invitation {
    pub fn sk(invitation_id: &str) -> String {
        keys::invite(invitation_id)
    }

    pub const SK_PREFIX: &'static str = keys::INVITE;

    pub fn token_pk(token_hash: &str) -> String {
        keys::invite_token(token_hash)
    }

    pub fn view(&self) -> InvitationView {
        InvitationView {
            invitation_id: self.invitation_id.clone(),
            script_id: self.script_id.clone(),
            email: self.email.clone(),
            role: self.role,
            status: self.status.clone(),
            created_at: self.created_at,
            expires_at: self.expires_at,
        }
    }
}

impl ItemCodec for Invitation {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(
            self,
            &[
                ("pk", &fountain_scripts::Script::pk(&self.script_id)),
                ("sk", &Invitation::sk(&self.invitation_id)),
                ("entity", "invitation"),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// `POST /scripts/{scriptId}/invitations`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateInvitation {
    #[schema(schema_with = invitee_email)]
    pub email: String,
    /// `editor` or `viewer`.
    #[schema(schema_with = invitable_role)]
    pub role: Role,
    pub comment: Option<String>,
}

/// What [`CreateInvitation::validate`] takes: at most 254 characters with an `@`.
fn invitee_email() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .max_length(Some(MAX_EMAIL_CHARS))
        .pattern(Some("@"))
        .build()
}

/// The roles an invitation can give: a script has one owner.
fn invitable_role() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some([Role::Editor.as_str(), Role::Viewer.as_str()]))
        .build()
}

impl CreateInvitation {
    pub fn validate(&self) -> Result<(), ApiError> {
        Checks::new()
            .required("email", &self.email, MAX_EMAIL_CHARS)
            .comment(self.comment.as_deref())
            .finish()?;
        if !self.email.contains('@') {
            return Err(ApiError::Validation(vec![FieldError::new(
                "email",
                "must be an email address",
            )]));
        }
        if self.role == Role::Owner {
            return Err(ApiError::field(
                "role",
                "a script has one owner; invite an editor or a viewer",
            ));
        }
        Ok(())
    }
}

/// An invitation as the API shows it (never with its token).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationView {
    pub invitation_id: String,
    pub script_id: String,
    pub email: String,
    pub role: Role,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: i64,
}

/// `POST /invitations/accept`: the token of the invitation email, in the body so that it
/// never appears in a path (and so in no access log).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AcceptInvitation {
    #[schema(schema_with = non_blank::<{ fountain_identity::MAX_TOKEN_CHARS }>)]
    pub token: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationPage {
    pub items: Vec<InvitationView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberList {
    pub items: Vec<Membership>,
}
