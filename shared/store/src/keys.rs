//! The key schema: every partition key, sort key and index sort key of both tables is built
//! here, and every prefix a query ranges over is defined here. Nothing else spells a key (a
//! test fails on a key literal anywhere else), so a format changes in one place and the
//! sort-order assumptions of the queries are pinned next to the formats they rest on.
//!
//! Conventions: a kind's prefix is a constant named for the kind (`SECTION` is `SECTION#`);
//! a fixed key is a `*_SK` or `*_PK` constant; `x(.., id)` builds a key and `x_prefix(..)` is
//! what every `x(.., id)` of those arguments starts with, so `begins_with` on it lists them
//! and nothing else. Ids are ULIDs, so keys of one prefix sort in creation order. Callers
//! pass values already normalized (trimmed, lowercased) where a key folds them: the rule is
//! the owning context's, the spelling of the key is this module's.

mod content;
mod infra;
mod jobs;
mod live;
mod notifications;
mod scripts;
mod sessions;
mod users;

#[cfg(test)]
mod guard;

pub use content::*;
pub use infra::*;
pub use jobs::*;
pub use live::*;
pub use notifications::*;
pub use scripts::*;
pub use sessions::*;
pub use users::*;

#[cfg(test)]
mod tests {
    //! The listings of one partition each range over one prefix: no other kind of item that
    //! lives in the partition falls into it.

    use super::*;

    const ID: &str = "01JCX40A1B2C3D4E5F6G7H8J9K";

    /// A key of one kind, from an id.
    type KeyOf = fn(&str) -> String;

    /// For each prefix, the keys of the partition that must (true) or must not (false) start
    /// with it.
    fn assert_prefixes(prefixes: &[(&str, &str)], keys: &[(&str, String)]) {
        for (listed, prefix) in prefixes {
            for (kind, key) in keys {
                assert_eq!(
                    key.starts_with(prefix),
                    kind == listed,
                    "{kind} key {key} against the {listed} prefix {prefix}"
                );
            }
        }
    }

    #[test]
    fn each_listing_of_a_script_partition_reads_only_its_kind() {
        assert_prefixes(
            &[
                ("character", CHARACTER),
                ("member", MEMBER),
                ("invite", INVITE),
                ("paraphrase", PARAPHRASE),
                ("version", VERSION),
            ],
            &[
                ("script", SCRIPT_SK.to_owned()),
                ("character", character(ID)),
                ("name", character_name("anna")),
                ("member", member(ID)),
                ("invite", invite(ID)),
                ("section", section(ID)),
                ("element", element(ID)),
                ("order", ORDER_SECTIONS_SK.to_owned()),
                ("order", order_elements(ID)),
                ("paraphrase", paraphrase(ID)),
                ("version", version(ID)),
                ("chunk", version_chunk(ID, 0)),
                ("story", STORY_STATE_SK.to_owned()),
                ("story", story_chunk(1, 0)),
            ],
        );
    }

    #[test]
    fn each_listing_of_a_user_partition_reads_only_its_kind() {
        assert_prefixes(
            &[
                ("family", FAMILY),
                ("session", SESSION),
                ("note", NOTE),
                ("job", JOB),
            ],
            &[
                ("profile", PROFILE_SK.to_owned()),
                ("revocation", REVOCATION_SK.to_owned()),
                ("family", family(ID)),
                ("session", session(ID)),
                ("note", note(ID)),
                ("source", note_source(ID)),
                ("job", job(ID)),
                ("jobkey", job_key("hash")),
                ("usage", usage("2026-11-25")),
            ],
        );
    }

    #[test]
    fn each_index_listing_of_a_user_partition_reads_only_its_kind_and_state() {
        assert_prefixes(
            &[
                ("active session", &session_state_prefix("active")),
                ("ended session", &session_state_prefix("ended")),
                ("unread note", NOTE_UNREAD),
                ("active job", JOB_ACTIVE),
            ],
            &[
                ("active session", session_state("active", ID)),
                ("ended session", session_state("ended", ID)),
                ("unread note", note_unread(ID)),
                ("active job", job_state(ID, true)),
                ("done job", job_state(ID, false)),
            ],
        );
    }

    #[test]
    fn the_context_listing_of_a_session_partition_skips_the_key_reservations() {
        assert_prefixes(
            &[("entry", CONTEXT)],
            &[
                ("entry", context(ID)),
                ("reservation", context_key(None, "mood")),
                ("reservation", context_key(Some(ID), "mood")),
            ],
        );
    }

    #[test]
    fn keys_of_one_prefix_sort_in_creation_order() {
        let ids: Vec<String> = (0..50).map(|_| fountain_events::ids::new_id()).collect();
        let kinds: [(&str, KeyOf); 13] = [
            ("character", character),
            ("invite", invite),
            ("paraphrase", paraphrase),
            ("paraphrase by target", |id| {
                paraphrase_target("element", ID, id)
            }),
            ("version", version),
            ("session", session),
            ("session by state", |id| session_state("active", id)),
            ("context entry", context),
            ("context entry by character", |id| context_character(ID, id)),
            ("note", note),
            ("unread note", note_unread),
            ("job", job),
            ("job by state", |id| job_state(id, true)),
        ];
        for (kind, key) in kinds {
            let keys: Vec<String> = ids.iter().map(|id| key(id)).collect();
            assert!(keys.is_sorted(), "{kind} keys out of creation order");
        }
    }
}
