//! Working sessions, in their owner's partition (`SESSION#<sessionId>`, indexed by state),
//! and their context, in the session's own partition (`SESSION#<sessionId>`): entries
//! (`CTX#<entryId>`, indexed by character) and the reservations of their keys.

/// A session in its owner's partition (`SESSION#<sessionId>`), the partition of its context,
/// and its entry in the index by state (`SESSION#<state>#<sessionId>`).
pub const SESSION: &str = "SESSION#";
/// A context entry (`CTX#<entryId>`), and its entry in the index by character
/// (`CTX#<characterId>#<entryId>`).
pub const CONTEXT: &str = "CTX#";
/// The reservation of an entry's key in its scope (`CTXKEY#<scope>#<key>`). It does not start
/// with [`CONTEXT`], so the context listing skips it.
pub const CONTEXT_KEY: &str = "CTXKEY#";
/// The scope of the keys of entries about the whole session (no ULID spells it).
const SESSION_SCOPE: &str = "session";

/// A session's sort key in its owner's partition, and the partition of its context.
pub fn session(session_id: &str) -> String {
    format!("{SESSION}{session_id}")
}

/// What the index entries of the sessions in `state` start with.
pub fn session_state_prefix(state: &str) -> String {
    format!("{SESSION}{state}#")
}

/// A session's entry in the index by state: by state, then by id.
pub fn session_state(state: &str, session_id: &str) -> String {
    format!("{}{session_id}", session_state_prefix(state))
}

pub fn context(entry_id: &str) -> String {
    format!("{CONTEXT}{entry_id}")
}

/// What the index entries of the context entries about one character start with.
pub fn context_character_prefix(character_id: &str) -> String {
    format!("{CONTEXT}{character_id}#")
}

/// An entry's place in the index by character: by character, then by id.
pub fn context_character(character_id: &str, entry_id: &str) -> String {
    format!("{}{entry_id}", context_character_prefix(character_id))
}

/// The reservation of `folded_key` among the entries about `character_id`, or about the
/// whole session. The scope comes first and holds no `#`, so a key may hold one.
pub fn context_key(character_id: Option<&str>, folded_key: &str) -> String {
    let scope = character_id.unwrap_or(SESSION_SCOPE);
    format!("{CONTEXT_KEY}{scope}#{folded_key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_session_key_has_its_format() {
        assert_eq!(session("01S"), "SESSION#01S");
        assert_eq!(session_state_prefix("active"), "SESSION#active#");
        assert_eq!(session_state("ended", "01S"), "SESSION#ended#01S");
        assert_eq!(context("01E"), "CTX#01E");
        assert_eq!(context_character_prefix("01C"), "CTX#01C#");
        assert_eq!(context_character("01C", "01E"), "CTX#01C#01E");
        assert_eq!(context_key(None, "mood"), "CTXKEY#session#mood");
        assert_eq!(context_key(Some("01C"), "mood"), "CTXKEY#01C#mood");
        assert_eq!(context_key(None, "a#b, c"), "CTXKEY#session#a#b, c");
    }

    #[test]
    fn a_scope_never_reserves_anothers_keys() {
        assert_ne!(context_key(None, "mood"), context_key(Some("01C"), "mood"));
    }
}
