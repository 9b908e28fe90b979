//! Collaboration: the members of a script and invitations to join it. Accepting an
//! invitation is a saga: consume the single-use invitation, then write the membership; when
//! the second step fails, a compensation puts the invitation back, so no half-state remains.

pub mod functions;
pub use functions::FUNCTIONS;
pub mod handlers;
pub mod leave;
mod model;
pub mod reconcile;
mod store;

pub use fountain_http::TableDeps as Deps;
pub mod invitation_tokens;

pub use model::{
    AcceptInvitation, CreateInvitation, Invitation, InvitationPage, InvitationView, MemberList,
};
