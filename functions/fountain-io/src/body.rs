//! The raw Fountain body of an import: its media type, its size and its encoding.

use fountain_http::{ApiError, Request};

/// Imports larger than this are refused with 413 (a 120-page feature is about 200 KB).
pub const MAX_FOUNTAIN_BYTES: usize = 2 * 1024 * 1024;

const MEDIA_TYPES: [&str; 2] = ["text/plain", "text/x-fountain"];

/// The body as text: at most [`MAX_FOUNTAIN_BYTES`] (else 413), sent as `text/plain` or
/// `text/x-fountain` with no charset or UTF-8 (else 415), and valid UTF-8 (else 400).
pub fn fountain_text(req: &Request) -> Result<&str, ApiError> {
    let bytes: &[u8] = req.body().as_ref();
    if bytes.len() > MAX_FOUNTAIN_BYTES {
        return Err(ApiError::PayloadTooLarge(MAX_FOUNTAIN_BYTES));
    }
    let content_type = req
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    check_media_type(content_type)?;
    std::str::from_utf8(bytes).map_err(|error| {
        ApiError::BadRequest(format!(
            "the body is not UTF-8 text (invalid bytes after byte {}); Fountain is read as UTF-8",
            error.valid_up_to()
        ))
    })
}

fn check_media_type(content_type: &str) -> Result<(), ApiError> {
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let refused = || {
        ApiError::UnsupportedMediaType(format!(
            "expected text/plain or text/x-fountain in UTF-8, got {}",
            if content_type.is_empty() {
                "no content type"
            } else {
                content_type
            }
        ))
    };
    if !MEDIA_TYPES.contains(&essence.as_str()) {
        return Err(refused());
    }
    for parameter in parts {
        let Some((name, value)) = parameter.split_once('=') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("charset") {
            let charset = value.trim().trim_matches('"').to_ascii_lowercase();
            if charset != "utf-8" && charset != "utf8" && charset != "us-ascii" {
                return Err(refused());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_media_type;

    #[test]
    fn text_types_in_utf8_only() {
        for ok in [
            "text/plain",
            "text/plain; charset=utf-8",
            "TEXT/X-FOUNTAIN;charset=\"UTF-8\"",
            "text/x-fountain",
        ] {
            assert!(check_media_type(ok).is_ok(), "{ok}");
        }
        for refused in [
            "",
            "application/json",
            "text/plain; charset=latin1",
            "text/html",
        ] {
            assert!(check_media_type(refused).is_err(), "{refused}");
        }
    }
}
