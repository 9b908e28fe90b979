//! Optimistic concurrency over HTTP: the ETag is the resource's revision; a change names the
//! revision it was based on in If-Match.

use lambda_http::Request;

use crate::error::ApiError;

pub fn etag(revision: u64) -> String {
    format!("\"{revision}\"")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMatch {
    Any,
    Revision(u64),
}

impl IfMatch {
    /// Refuses with 412 unless the resource (`what`) at `revision` satisfies the header.
    pub fn check(self, revision: u64, what: &str) -> Result<(), ApiError> {
        if self.matches(revision) {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed(format!(
                "the {what} is at revision {revision}"
            )))
        }
    }

    /// Whether a resource at `revision` satisfies the header.
    pub fn matches(self, revision: u64) -> bool {
        match self {
            IfMatch::Any => true,
            IfMatch::Revision(expected) => expected == revision,
        }
    }
}

/// The If-Match header, if present. A value that is no ETag of ours can match nothing: 412.
pub fn if_match(req: &Request) -> Result<Option<IfMatch>, ApiError> {
    let Some(value) = req.headers().get(http::header::IF_MATCH) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::PreconditionFailed("If-Match is not readable".into()))?
        .trim();
    if value == "*" {
        return Ok(Some(IfMatch::Any));
    }
    let tag = value.strip_prefix("W/").unwrap_or(value);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse().ok())
        .map(|revision| Some(IfMatch::Revision(revision)))
        .ok_or_else(|| ApiError::PreconditionFailed(format!("{value} is not a current ETag")))
}

/// The If-Match header of a change that must name the revision it is based on.
pub fn require_if_match(req: &Request) -> Result<IfMatch, ApiError> {
    if_match(req)?.ok_or(ApiError::PreconditionRequired)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_if_match(value: &str) -> Request {
        http::Request::builder()
            .header("if-match", value)
            .body(lambda_http::Body::Empty)
            .unwrap()
    }

    #[test]
    fn reads_strong_weak_and_wildcard_etags() {
        assert_eq!(
            if_match(&with_if_match("\"7\"")).unwrap(),
            Some(IfMatch::Revision(7))
        );
        assert_eq!(
            if_match(&with_if_match("W/\"7\"")).unwrap(),
            Some(IfMatch::Revision(7))
        );
        assert_eq!(if_match(&with_if_match("*")).unwrap(), Some(IfMatch::Any));
        assert!(IfMatch::Any.matches(3));
        assert!(!IfMatch::Revision(2).matches(3));
    }

    #[test]
    fn a_foreign_etag_is_a_failed_precondition_and_a_missing_one_is_required() {
        assert_eq!(if_match(&with_if_match("abc")).unwrap_err().status(), 412);
        let bare = http::Request::builder()
            .body(lambda_http::Body::Empty)
            .unwrap();
        assert_eq!(require_if_match(&bare).unwrap_err().status(), 428);
    }
}
