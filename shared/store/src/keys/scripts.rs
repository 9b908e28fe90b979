//! The script partition (`SCRIPT#<scriptId>`) outside the content: memberships, invitations,
//! versions and their chunks, and the story cache; and the lookup of an invitation token.

/// The partition of a script and everything in it.
pub const SCRIPT: &str = "SCRIPT#";
/// The sort key of the script item.
pub const SCRIPT_SK: &str = "SCRIPT";
/// A membership (`MEMBER#<userId>`); the same key is the membership's `gsi1pk`, which lists a
/// user's scripts.
pub const MEMBER: &str = "MEMBER#";
/// An invitation (`INVITE#<invitationId>`).
pub const INVITE: &str = "INVITE#";
/// The partition of an invitation token's lookup (`INVITETOKEN#<hash>`).
pub const INVITE_TOKEN: &str = "INVITETOKEN#";
/// The sort key of an invitation token's lookup.
pub const INVITE_TOKEN_SK: &str = "INVITETOKEN";
/// A version (`VERSION#<versionId>`).
pub const VERSION: &str = "VERSION#";
/// A chunk of a version's snapshot (`VCHUNK#<versionId>#<index, 4 digits>`).
pub const VERSION_CHUNK: &str = "VCHUNK#";
/// The story cache's state.
pub const STORY_STATE_SK: &str = "STORY#STATE";
/// A chunk of a cached story (`STORY#CHUNK#<epoch, 12 digits>#<index, 4 digits>`).
pub const STORY_CHUNK: &str = "STORY#CHUNK#";

pub fn script(script_id: &str) -> String {
    format!("{SCRIPT}{script_id}")
}

/// The id of the script whose partition key is `pk`.
pub fn script_id(pk: &str) -> Option<&str> {
    pk.strip_prefix(SCRIPT)
}

/// A membership's sort key in its script's partition, and its `gsi1pk`.
pub fn member(user_id: &str) -> String {
    format!("{MEMBER}{user_id}")
}

pub fn invite(invitation_id: &str) -> String {
    format!("{INVITE}{invitation_id}")
}

pub fn invite_token(token_hash: &str) -> String {
    format!("{INVITE_TOKEN}{token_hash}")
}

pub fn version(version_id: &str) -> String {
    format!("{VERSION}{version_id}")
}

/// What the sort keys of a version's chunks start with.
pub fn version_chunk_prefix(version_id: &str) -> String {
    format!("{VERSION_CHUNK}{version_id}#")
}

/// Zero-padded, so chunks sort by index (up to 9,999 of them).
pub fn version_chunk(version_id: &str, index: usize) -> String {
    format!("{}{index:04}", version_chunk_prefix(version_id))
}

/// What the sort keys of the story cached at `epoch` start with.
pub fn story_chunk_prefix(epoch: u64) -> String {
    format!("{STORY_CHUNK}{epoch:012}#")
}

/// Zero-padded, so chunks sort by epoch, then index.
pub fn story_chunk(epoch: u64, index: u32) -> String {
    format!("{}{index:04}", story_chunk_prefix(epoch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_the_script_partition_has_its_format() {
        assert_eq!(script("01S"), "SCRIPT#01S");
        assert_eq!(script_id("SCRIPT#01S"), Some("01S"));
        assert_eq!(script_id("USER#01S"), None);
        assert_eq!(SCRIPT_SK, "SCRIPT");
        assert_eq!(member("alice"), "MEMBER#alice");
        assert_eq!(invite("01I"), "INVITE#01I");
        assert_eq!(invite_token("ab12"), "INVITETOKEN#ab12");
        assert_eq!(INVITE_TOKEN_SK, "INVITETOKEN");
        assert_eq!(version("01V"), "VERSION#01V");
        assert_eq!(version_chunk_prefix("01V"), "VCHUNK#01V#");
        assert_eq!(version_chunk("01V", 7), "VCHUNK#01V#0007");
        assert_eq!(STORY_STATE_SK, "STORY#STATE");
        assert_eq!(story_chunk_prefix(42), "STORY#CHUNK#000000000042#");
        assert_eq!(story_chunk(42, 3), "STORY#CHUNK#000000000042#0003");
    }

    #[test]
    fn chunks_sort_by_number_and_stay_in_their_prefix() {
        let chunks: Vec<String> = [0, 1, 2, 9, 10, 99, 100, 9999]
            .into_iter()
            .map(|i| version_chunk("01V", i))
            .collect();
        assert!(chunks.is_sorted(), "{chunks:?}");
        assert!(
            chunks
                .iter()
                .all(|c| c.starts_with(&version_chunk_prefix("01V")))
        );
        assert!(!version_chunk("01VX", 0).starts_with(&version_chunk_prefix("01V")));

        let stories: Vec<String> = [(1, 0), (1, 1), (1, 10), (2, 0), (10, 0), (10, 9999)]
            .into_iter()
            .map(|(epoch, i)| story_chunk(epoch, i))
            .collect();
        assert!(stories.is_sorted(), "{stories:?}");
        assert!(!story_chunk(10, 0).starts_with(&story_chunk_prefix(1)));
        assert!(!STORY_STATE_SK.starts_with(STORY_CHUNK));
    }
}
