//! What can go wrong, as the user reads it, and the exit code of each kind (docs/cli.md).

use std::fmt;

use serde::Deserialize;

/// The exit codes, documented in docs/cli.md.
pub mod exit {
    pub const OK: u8 = 0;
    /// The API refused the request (a problem answer), or a job failed.
    pub const REFUSED: u8 = 1;
    /// Bad arguments or an input that cannot be used (clap exits with 2 as well).
    pub const USAGE: u8 = 2;
    /// The API could not be reached, or answered with something that is not the API's.
    pub const UNREACHABLE: u8 = 3;
    /// Not logged in, or the API refused the credentials.
    pub const AUTH: u8 = 4;
    /// A local file could not be written (an output, the credentials).
    pub const LOCAL: u8 = 5;
    /// Stopped by Ctrl-C.
    pub const INTERRUPTED: u8 = 130;
}

/// An RFC 9457 problem document, as the API sends it (`application/problem+json`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    #[serde(default)]
    pub status: u16,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub errors: Vec<FieldError>,
    #[serde(default)]
    pub correlation_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FieldError {
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub message: String,
}

impl Problem {
    /// The problem in an error answer's body; an answer that is not a problem (API Gateway's
    /// own `{"message": ...}`, a proxy's HTML page) becomes one named after its status.
    pub fn from_answer(status: u16, body: &str) -> Self {
        if let Ok(problem) = serde_json::from_str::<Problem>(body)
            && !problem.title.is_empty()
        {
            return Self { status, ..problem };
        }
        let message = serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
            .unwrap_or_else(|| body.chars().take(200).collect::<String>().trim().to_owned());
        let title = http_reason(status).to_owned();
        Self {
            status,
            detail: if message == title {
                String::new()
            } else {
                message
            },
            title,
            ..Self::default()
        }
    }
}

fn http_reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unexpected answer",
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.title)?;
        if !self.detail.is_empty() && self.detail != self.title {
            write!(f, ": {}", self.detail)?;
        }
        // The fields' errors, unless the detail already says them.
        for error in &self.errors {
            if !self.detail.contains(&error.message) {
                write!(f, "\n  - {}: {}", error.field, error.message)?;
            }
        }
        // What an operator finds the request's logs and events by.
        if let Some(id) = &self.correlation_id {
            write!(f, "\n  (correlation id {id})")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments, or an input file that cannot be used.
    #[error("{0}")]
    Usage(String),
    /// The API answered with a problem.
    #[error("{0}")]
    Api(Problem),
    /// Not logged in, or the stored session ended.
    #[error("{0}")]
    NotLoggedIn(String),
    #[error("cannot reach the API at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// A local file could not be read or written.
    #[error("{0}")]
    Local(String),
    /// Something the API reported as failed (a generation job).
    #[error("{0}")]
    Failed(String),
    #[error("{0}")]
    Interrupted(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => exit::USAGE,
            Self::Api(problem) if problem.status == 401 => exit::AUTH,
            Self::Api(_) | Self::Failed(_) => exit::REFUSED,
            Self::NotLoggedIn(_) => exit::AUTH,
            Self::Unreachable { .. } => exit::UNREACHABLE,
            Self::Local(_) => exit::LOCAL,
            Self::Interrupted(_) => exit::INTERRUPTED,
        }
    }

    /// A network failure of a request to `url`, with reqwest's causes in words.
    pub fn unreachable(url: &str, error: &reqwest::Error) -> Self {
        Self::Unreachable {
            url: url.to_owned(),
            reason: causes(error),
        }
    }
}

/// An error and its sources, as one line (never Debug output).
pub fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_as_title_detail_and_fields() {
        let problem = Problem::from_answer(
            422,
            r#"{"type":"x","title":"Invalid request","status":422,"detail":"One field is wrong.","errors":[{"field":"title","message":"too long"}]}"#,
        );
        assert_eq!(
            problem.to_string(),
            "Invalid request: One field is wrong.\n  - title: too long"
        );
    }

    #[test]
    fn a_gateway_message_becomes_a_problem() {
        let problem = Problem::from_answer(401, r#"{"message":"Unauthorized"}"#);
        assert_eq!(problem.to_string(), "Unauthorized");
        let html = Problem::from_answer(502, "<html>bad gateway</html>");
        assert_eq!(html.to_string(), "Bad Gateway: <html>bad gateway</html>");
    }
}
