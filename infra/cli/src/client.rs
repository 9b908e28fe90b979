//! The HTTP API as the commands use it: URLs built from path segments, the stored session's
//! bearer token (renewed before it expires, and once more when a call answers 401), and
//! error answers turned into problems.

use std::time::Duration;

use reqwest::{RequestBuilder, Response, Url};
use serde_json::Value;

use crate::credentials::{Session, Store, TokenPair};
use crate::error::{CliError, Problem};

pub struct Api {
    /// The API's base URL, without a trailing slash: also the key of the stored session.
    base: String,
    http: reqwest::Client,
    store: Store,
    session: Option<Session>,
}

impl Api {
    pub fn new(base: &str, store: Store) -> Result<Self, CliError> {
        let base = base.trim_end_matches('/').to_owned();
        let parsed = Url::parse(&base)
            .map_err(|e| CliError::Usage(format!("--api {base} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(CliError::Usage(format!(
                "--api {base} is not an http:// or https:// URL"
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            // Above the event monitor's 20 s long poll, below forever.
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("fountain-cli/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CliError::Local(format!("cannot start the HTTP client: {e}")))?;
        Ok(Self {
            base,
            http,
            store,
            session: None,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A plain client, for URLs outside the API (presigned output links): no token.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The URL of `segments` under the API, each segment percent-encoded (ids typed by the
    /// user cannot reach another route).
    pub fn endpoint(&self, segments: &[&str]) -> Result<Url, CliError> {
        let mut url = Url::parse(&self.base)
            .map_err(|e| CliError::Usage(format!("--api {} is not a URL: {e}", self.base)))?;
        url.path_segments_mut()
            .map_err(|()| CliError::Usage(format!("--api {} cannot have paths", self.base)))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// Sends a request without a token (the public routes).
    pub async fn send_public(&self, request: RequestBuilder) -> Result<Response, CliError> {
        checked(self.transmit(request).await?).await
    }

    /// Sends the request `make` builds, with the session's token; a 401 renews the session
    /// once and sends a new request (`make` is called again, so a streamed body starts over).
    pub async fn send<F>(&mut self, make: F) -> Result<Response, CliError>
    where
        F: Fn(&reqwest::Client) -> Result<RequestBuilder, CliError>,
    {
        let token = self.access_token().await?;
        let response = self.transmit(make(&self.http)?.bearer_auth(token)).await?;
        if response.status().as_u16() != 401 {
            return checked(response).await;
        }
        self.renew().await?;
        let token = self.access_token().await?;
        checked(self.transmit(make(&self.http)?.bearer_auth(token)).await?).await
    }

    pub async fn get_json(
        &mut self,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Result<Value, CliError> {
        let url = self.endpoint(segments)?;
        let response = self
            .send(|http| Ok(http.get(url.clone()).query(query)))
            .await?;
        json_of(response).await
    }

    /// A request with a JSON body (or none): the answer's JSON, `Null` for an empty one.
    pub async fn call_json(
        &mut self,
        method: reqwest::Method,
        segments: &[&str],
        body: Option<&Value>,
    ) -> Result<Value, CliError> {
        let url = self.endpoint(segments)?;
        let response = self
            .send(|http| {
                let request = http.request(method.clone(), url.clone());
                Ok(match body {
                    Some(body) => request.json(body),
                    None => request,
                })
            })
            .await?;
        json_of(response).await
    }

    /// The stored session with this API, loaded once.
    pub fn session(&mut self) -> Result<&Session, CliError> {
        if self.session.is_none() {
            self.session = self.store.load(&self.base)?;
        }
        self.session.as_ref().ok_or_else(|| {
            CliError::NotLoggedIn(format!(
                "not logged in to {}: run `fountain login`",
                self.base
            ))
        })
    }

    /// An access token good for a while yet (renewing the session when it is about to expire).
    pub async fn access_token(&mut self) -> Result<String, CliError> {
        if self.session()?.needs_renewal() {
            self.renew().await?;
        }
        Ok(self.session()?.access_token.clone())
    }

    /// Exchanges the refresh token for a new pair and stores it at once: the old refresh
    /// token is spent, and presenting it again would end every session of the user.
    pub async fn renew(&mut self) -> Result<(), CliError> {
        let session = self.session()?.clone();
        let url = self.endpoint(&["auth", "refresh"])?;
        let request = self
            .http
            .post(url)
            .json(&serde_json::json!({ "refreshToken": session.refresh_token }));
        let response = match self.send_public(request).await {
            Ok(response) => response,
            Err(CliError::Api(problem)) if matches!(problem.status, 400 | 401 | 422) => {
                // The refresh token is spent, revoked or expired: this session is over.
                self.session = None;
                self.store.remove(&self.base)?;
                return Err(CliError::NotLoggedIn(format!(
                    "the session with {} has ended ({problem}): run `fountain login`",
                    self.base
                )));
            }
            Err(other) => return Err(other),
        };
        let pair: TokenPair = serde_json::from_value(json_of(response).await?)
            .map_err(|e| self.not_the_api(&format!("a refresh answered {e}")))?;
        let renewed = Session::from_pair(pair, session.email);
        self.store.save(&self.base, &renewed)?;
        self.session = Some(renewed);
        Ok(())
    }

    /// Stores a new session (after a login).
    pub fn start_session(&mut self, session: Session) -> Result<(), CliError> {
        self.store.save(&self.base, &session)?;
        self.session = Some(session);
        Ok(())
    }

    /// Forgets the stored session; whether there was one.
    pub fn end_session(&mut self) -> Result<bool, CliError> {
        self.session = None;
        self.store.remove(&self.base)
    }

    async fn transmit(&self, request: RequestBuilder) -> Result<Response, CliError> {
        request
            .send()
            .await
            .map_err(|e| CliError::unreachable(&self.base, &e))
    }

    pub fn not_the_api(&self, what: &str) -> CliError {
        CliError::Unreachable {
            url: self.base.clone(),
            reason: format!("the answer is not the FountainAI API's ({what})"),
        }
    }
}

/// The response when it is a success, else its problem.
pub async fn checked(response: Response) -> Result<Response, CliError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let url = response.url().to_string();
    let body = response
        .text()
        .await
        .map_err(|e| CliError::unreachable(&url, &e))?;
    Err(CliError::Api(Problem::from_answer(status.as_u16(), &body)))
}

/// The JSON of a successful answer (`Null` when it has no body).
pub async fn json_of(response: Response) -> Result<Value, CliError> {
    let url = response.url().to_string();
    let text = response
        .text()
        .await
        .map_err(|e| CliError::unreachable(&url, &e))?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| CliError::Unreachable {
        url,
        reason: format!("the answer is not JSON ({e})"),
    })
}
