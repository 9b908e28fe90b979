//! What a listing shows: a user's sessions (all, or those in one state), newest first, and a
//! session's context (all, or one character's), in creation order. Each listing runs on one
//! range of one table or index, and a cursor continues only its own listing.

use fountain_http::{ApiError, Request, query_param};
use fountain_store::{LSI1_SK, PK, SK};

use crate::model::{ContextEntry, Session, SessionState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionListing {
    /// Every session of the user, from the base table (`begins_with(sk, keys::SESSION)`).
    All,
    /// The sessions in one state, from the local index `lsi1`.
    In(SessionState),
}

impl SessionListing {
    /// From `state`: absent, `active` or `ended`.
    pub fn from_query(state: Option<&str>) -> Result<Self, ApiError> {
        match state {
            None => Ok(SessionListing::All),
            Some(name) => SessionState::parse(name)
                .map(SessionListing::In)
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "state must be {}, not {name}",
                        SessionState::NAMES
                    ))
                }),
        }
    }

    pub fn from_request(req: &Request) -> Result<Self, ApiError> {
        Self::from_query(query_param(req, "state").as_deref())
    }

    pub fn range(&self) -> Range {
        match self {
            SessionListing::All => Range::table(Session::SK_PREFIX),
            SessionListing::In(state) => Range::index(Session::state_prefix(*state)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextListing {
    /// Every entry of the session, from the base table (`begins_with(sk, keys::CONTEXT)`).
    All,
    /// The entries scoped to one character, from the local index `lsi1`.
    Of(String),
}

impl ContextListing {
    pub fn from_request(req: &Request) -> Self {
        match query_param(req, "characterId") {
            None => ContextListing::All,
            Some(character_id) => ContextListing::Of(character_id),
        }
    }

    pub fn range(&self) -> Range {
        match self {
            ContextListing::All => Range::table(ContextEntry::SK_PREFIX),
            ContextListing::Of(character_id) => {
                Range::index(ContextEntry::character_prefix(character_id))
            }
        }
    }
}

/// The sort attribute a listing runs on, the prefix its values start with, and the
/// attributes of a key where one of its pages stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    pub attribute: &'static str,
    pub prefix: String,
    pub key_attributes: &'static [&'static str],
}

impl Range {
    fn table(prefix: &str) -> Self {
        Self {
            attribute: SK,
            prefix: prefix.to_owned(),
            key_attributes: &[PK, SK],
        }
    }

    fn index(prefix: String) -> Self {
        Self {
            attribute: LSI1_SK,
            prefix,
            key_attributes: &[PK, SK, LSI1_SK],
        }
    }

    pub fn on_index(&self) -> bool {
        self.attribute == LSI1_SK
    }
}

#[cfg(test)]
mod tests {
    use fountain_store::keys;

    use super::*;

    #[test]
    fn a_state_is_active_ended_or_absent() {
        assert_eq!(
            SessionListing::from_query(None).unwrap(),
            SessionListing::All
        );
        assert_eq!(
            SessionListing::from_query(Some("active")).unwrap(),
            SessionListing::In(SessionState::Active)
        );
        for bad in ["Active", "open", ""] {
            assert_eq!(
                SessionListing::from_query(Some(bad)).unwrap_err().status(),
                400,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn each_listing_runs_on_its_own_range() {
        assert_eq!(SessionListing::All.range().prefix, keys::SESSION);
        assert!(!SessionListing::All.range().on_index());
        let ended = SessionListing::In(SessionState::Ended).range();
        assert_eq!(
            (ended.attribute, ended.prefix.as_str()),
            ("lsi1sk", keys::session_state_prefix("ended").as_str())
        );
        assert_eq!(ContextListing::All.range().prefix, keys::CONTEXT);
        let of = ContextListing::Of("01JCX40A1B2C3D4E5F6G7H8J9K".into()).range();
        assert_eq!(
            (of.attribute, of.prefix.as_str(), of.key_attributes.len()),
            (
                "lsi1sk",
                keys::context_character_prefix("01JCX40A1B2C3D4E5F6G7H8J9K").as_str(),
                3
            )
        );
    }
}
