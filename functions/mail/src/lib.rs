//! The mailer (decision 47): one consumer turns the events that call for an email into a
//! plain, short message sent through SES. Where a message carries a token (verification,
//! password reset, invitation), the token is minted here, as the message is written, by the
//! context that owns it: no token ever travels in an event, a response or a log.

pub mod deps;
pub mod functions;
pub mod messages;
pub mod send;

pub use deps::MailDeps;
pub use functions::FUNCTIONS;
