//! A provider for any OpenAI-compatible chat-completions endpoint (OpenAI itself, or a
//! self-hosted server that speaks the same API): one POST per part, the reply's first
//! choice is the part's prose.

use std::fmt;
use std::time::Duration;

use crate::manuscript::Manuscript;
use fountain_runtime::ConfigError;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::{Deserialize, Serialize};

use crate::api_key::Key;
use crate::config::{GENERATOR_URL, OpenAiConfig};
use crate::prompt::{SYSTEM_PROMPT, screenplay};
use crate::{GenerateError, Generator, Part};

/// Connecting should take well under the request timeout; a host that does not accept a
/// connection quickly is down, and the part is retried sooner.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct OpenAiCompatible {
    client: reqwest::Client,
    endpoint: String,
    /// `{base_url}/models`: the cheap call the health checker makes.
    models: String,
    api_key: Key,
    model: String,
    timeout: Duration,
}

impl OpenAiCompatible {
    pub fn new(config: &OpenAiConfig, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(MAX_CONNECT_TIMEOUT))
            .build()
            .map_err(|e| ConfigError::Invalid {
                name: GENERATOR_URL.to_owned(),
                reason: format!("the HTTP client could not be built: {e}"),
            })?;
        Ok(Self {
            client,
            endpoint: format!("{}/chat/completions", config.base_url),
            models: format!("{}/models", config.base_url),
            api_key: Key::new(&config.api_key, sdk),
            model: config.model.clone(),
            timeout: config.timeout,
        })
    }

    /// Where requests go: `{base_url}/chat/completions`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// Whether the provider answers: a `GET {base_url}/models` (no tokens spent) within
    /// `timeout`, classified like a part's failure.
    pub async fn probe(&self, timeout: Duration) -> Result<(), GenerateError> {
        let response = self
            .client
            .get(&self.models)
            .bearer_auth(self.api_key.get().await?.expose())
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(status_error(status, response.headers()))
        }
    }

    fn transport_error(&self, error: &reqwest::Error) -> GenerateError {
        // reqwest's own message names the URL and the cause chain; the reason stays generic.
        if error.is_timeout() {
            GenerateError::retryable(format!(
                "the generator did not answer within {} seconds",
                self.timeout.as_secs_f32()
            ))
        } else if error.is_connect() {
            GenerateError::retryable("could not connect to the generator")
        } else if error.is_builder() {
            GenerateError::permanent("the request to the generator could not be built")
        } else {
            GenerateError::retryable("the connection to the generator failed")
        }
    }
}

impl fmt::Debug for OpenAiCompatible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiCompatible")
            .field("endpoint", &self.endpoint)
            .field("api_key", &self.api_key)
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Generator for OpenAiCompatible {
    fn name(&self) -> &'static str {
        "openai"
    }

    async fn write_part(&self, story: &Manuscript, part: &Part) -> Result<String, GenerateError> {
        let request = ChatRequest {
            model: &self.model,
            messages: [
                Message {
                    role: "system",
                    content: SYSTEM_PROMPT.to_owned(),
                },
                Message {
                    role: "user",
                    content: screenplay(story, part),
                },
            ],
        };
        let response = self
            .client
            .post(&self.endpoint)
            .bearer_auth(self.api_key.get().await?.expose())
            .json(&request)
            .send()
            .await
            .map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(status_error(status, response.headers()));
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?;
        prose_of(&body)
    }
}

#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: [Message; 2],
}

#[derive(Serialize)]
struct Message {
    role: &'static str,
    content: String,
}

#[derive(Deserialize)]
struct ChatCompletion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: ReplyMessage,
}

#[derive(Deserialize)]
struct ReplyMessage {
    content: Option<String>,
}

/// The first choice's text. Anything else is a reply the API does not promise, and asking
/// again would most likely get the same: permanent.
fn prose_of(body: &[u8]) -> Result<String, GenerateError> {
    let completion: ChatCompletion = serde_json::from_slice(body)
        .map_err(|_| GenerateError::permanent("the generator's reply was not a chat completion"))?;
    completion
        .choices
        .into_iter()
        .next()
        .and_then(|choice| choice.message.content)
        .filter(|content| !content.trim().is_empty())
        .ok_or_else(|| GenerateError::permanent("the generator's reply had no text"))
}

/// Rate limits, request timeouts and server errors pass; other refusals will not.
fn status_error(status: StatusCode, headers: &HeaderMap) -> GenerateError {
    let code = status.as_u16();
    let retry_after = retry_after(headers);
    let retryable = |reason: String| GenerateError::Retryable {
        reason,
        retry_after,
    };
    match status {
        StatusCode::TOO_MANY_REQUESTS => {
            retryable(format!("the generator is rate limiting requests ({code})"))
        }
        StatusCode::REQUEST_TIMEOUT => retryable(format!("the generator timed out ({code})")),
        _ if status.is_server_error() => {
            retryable(format!("the generator had an internal error ({code})"))
        }
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            GenerateError::permanent(format!("the generator rejected the API key ({code})"))
        }
        _ if status.is_client_error() => {
            GenerateError::permanent(format!("the generator refused the request ({code})"))
        }
        _ => GenerateError::permanent(format!("the generator answered unexpectedly ({code})")),
    }
}

/// `Retry-After` in seconds; the HTTP-date form is ignored (the worker's backoff applies).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_retryable_or_permanent() {
        let none = HeaderMap::new();
        for code in [408, 429, 500, 502, 503, 504] {
            let status = StatusCode::from_u16(code).unwrap();
            assert!(status_error(status, &none).is_retryable(), "{code}");
        }
        for code in [400, 401, 403, 404, 413, 422, 302] {
            let status = StatusCode::from_u16(code).unwrap();
            assert!(!status_error(status, &none).is_retryable(), "{code}");
        }
    }

    #[test]
    fn retry_after_seconds_are_kept() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        let error = status_error(StatusCode::TOO_MANY_REQUESTS, &headers);
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    }

    #[test]
    fn a_reply_without_text_is_permanent() {
        for body in [
            &b"not json"[..],
            br#"{"choices":[]}"#,
            br#"{"choices":[{"message":{"content":null}}]}"#,
            br#"{"choices":[{"message":{"content":"  "}}]}"#,
        ] {
            let error = prose_of(body).unwrap_err();
            assert!(!error.is_retryable(), "{}", String::from_utf8_lossy(body));
        }
        assert_eq!(
            prose_of(br#"{"choices":[{"message":{"role":"assistant","content":"Once."}}]}"#),
            Ok("Once.".to_owned())
        );
    }
}
