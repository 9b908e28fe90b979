//! The soak's HTTP client: every request is timed and recorded under its operation, and
//! its status checked against what the operation expects.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use super::stats::Stats;

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, Error>;

/// The password of every soak account.
pub const PASSWORD: &str = "soak test passphrase, long enough";

/// A response, read whole; status 0 when no response came.
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub body: Value,
    /// What was sent and what came back, for the report of an unexpected status.
    pub described: String,
}

impl Reply {
    pub fn str(&self, field: &str) -> Result<String> {
        self.body[field]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no {field} in {}", self.described).into())
    }

    /// The ETag's number (`"3"` is 3).
    pub fn revision(&self) -> Option<u64> {
        self.etag
            .as_deref()
            .and_then(|tag| tag.trim_start_matches("W/").trim_matches('"').parse().ok())
    }
}

/// What a request carries.
pub enum Body {
    Empty,
    Json(Value),
    Fountain(String),
}

pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub stats: Arc<Stats>,
}

/// A registered, logged-in user; the tokens change when they are refreshed.
pub struct Account {
    pub email: String,
    tokens: Mutex<(String, String, Instant)>,
}

/// Access tokens last 15 minutes; the soak refreshes them well before.
const REFRESH_AFTER: Duration = Duration::from_secs(10 * 60);

impl Account {
    pub fn token(&self) -> String {
        self.lock().0.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (String, String, Instant)> {
        self.tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Api {
    pub fn new(base: &str, stats: Arc<Stats>) -> Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(120))
                .pool_max_idle_per_host(64)
                .build()?,
            base: base.trim_end_matches('/').to_owned(),
            stats,
        })
    }

    /// Sends one request of `op` and records how long it took.
    pub async fn send(
        &self,
        op: &'static str,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, String)],
        body: Body,
    ) -> Reply {
        let mut builder = self
            .http
            .request(method.clone(), format!("{}{path}", self.base));
        if let Some(token) = token {
            builder = builder.bearer_auth(token);
        }
        for (name, value) in headers {
            builder = builder.header(*name, value);
        }
        let sent = match &body {
            Body::Empty => String::new(),
            Body::Json(value) => value.to_string(),
            Body::Fountain(text) => format!("<{} bytes of Fountain text>", text.len()),
        };
        builder = match body {
            Body::Empty => builder,
            Body::Json(value) => builder.json(&value),
            Body::Fountain(text) => builder
                .header("content-type", "text/plain; charset=utf-8")
                .body(text),
        };
        let started = Instant::now();
        let outcome = async {
            let response = builder.send().await?;
            let status = response.status().as_u16();
            let etag = response
                .headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let text = response.text().await?;
            Ok::<_, reqwest::Error>((status, etag, text))
        }
        .await;
        self.stats.request(op, started.elapsed());
        let headers: Vec<String> = headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
        let request = format!("{method} {path} {} {}", headers.join(" "), clip(&sent, 300));
        match outcome {
            Ok((status, etag, text)) => Reply {
                status,
                etag,
                described: format!("`{}` -> {status} `{}`", request.trim(), clip(&text, 300)),
                body: serde_json::from_str(&text).unwrap_or(Value::Null),
            },
            Err(error) => Reply {
                status: 0,
                etag: None,
                described: format!("`{}` -> no response: {error}", request.trim()),
                body: Value::Null,
            },
        }
    }

    /// Whether `reply` has one of the `expected` statuses; records it as unexpected when not.
    pub fn check(&self, op: &'static str, reply: &Reply, expected: &[u16]) -> bool {
        if expected.contains(&reply.status) {
            return true;
        }
        self.stats
            .unexpected(op, reply.status, reply.described.clone());
        false
    }

    /// A request as `account` whose status must be one of `expected`; `None` when it was not
    /// (recorded as unexpected).
    pub async fn call(
        &self,
        op: &'static str,
        account: &Account,
        method: Method,
        path: &str,
        body: Body,
        expected: &[u16],
    ) -> Option<Reply> {
        self.call_with(op, account, method, path, &[], body, expected)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn call_with(
        &self,
        op: &'static str,
        account: &Account,
        method: Method,
        path: &str,
        headers: &[(&str, String)],
        body: Body,
        expected: &[u16],
    ) -> Option<Reply> {
        let reply = self
            .send(op, method, path, Some(&account.token()), headers, body)
            .await;
        self.check(op, &reply, expected).then_some(reply)
    }

    /// Registers `email` and logs in (set-up: a refusal ends the soak).
    pub async fn account(&self, email: &str) -> Result<Account> {
        let credentials = json!({ "email": email, "password": PASSWORD });
        let registered = self
            .send(
                "auth_register",
                Method::POST,
                "/auth/register",
                None,
                &[],
                Body::Json(credentials.clone()),
            )
            .await;
        must(&registered, 202)?;
        let verification = self.email(email, "Verify your email address", 1).await?;
        let verified = self
            .send(
                "auth_verify_email",
                Method::POST,
                "/auth/verify-email",
                None,
                &[],
                Body::Json(json!({ "token": verification })),
            )
            .await;
        must(&verified, 200)?;
        let login = self
            .send(
                "auth_login",
                Method::POST,
                "/auth/login",
                None,
                &[],
                Body::Json(credentials),
            )
            .await;
        must(&login, 200)?;
        Ok(Account {
            email: email.to_owned(),
            tokens: Mutex::new((
                login.str("accessToken")?,
                login.str("refreshToken")?,
                Instant::now(),
            )),
        })
    }

    /// The token of the `count`-th email to `address` whose subject starts with `subject`,
    /// read from the local stack's `GET /_local/emails` (the soak runs against one).
    pub async fn email(&self, address: &str, subject: &str, count: usize) -> Result<String> {
        let path = format!(
            "/_local/emails?to={}",
            address.replace('@', "%40").replace('+', "%2B")
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let inbox = self
                .send("setup_inbox", Method::GET, &path, None, &[], Body::Empty)
                .await;
            must(&inbox, 200)?;
            let tokens: Vec<String> = inbox
                .body
                .as_array()
                .into_iter()
                .flatten()
                .filter(|m| {
                    m["subject"]
                        .as_str()
                        .is_some_and(|s| s.starts_with(subject))
                })
                .filter_map(|m| {
                    m["text"]
                        .as_str()
                        .and_then(fountain_mail::messages::token_in)
                })
                .map(str::to_owned)
                .collect();
            if tokens.len() >= count {
                return tokens.last().cloned().ok_or_else(|| "no token".into());
            }
            if Instant::now() > deadline {
                return Err(format!("no email {subject:?} to {address} within 30 s").into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Refreshes `account`'s tokens once they are 10 minutes old.
    pub async fn keep_fresh(&self, account: &Account) {
        let (refresh, issued) = {
            let tokens = account.lock();
            (tokens.1.clone(), tokens.2)
        };
        if issued.elapsed() < REFRESH_AFTER {
            return;
        }
        let reply = self
            .send(
                "auth_refresh",
                Method::POST,
                "/auth/refresh",
                None,
                &[],
                Body::Json(json!({ "refreshToken": refresh })),
            )
            .await;
        if !self.check("auth_refresh", &reply, &[200]) {
            return;
        }
        if let (Ok(access), Ok(refresh)) = (reply.str("accessToken"), reply.str("refreshToken")) {
            *account.lock() = (access, refresh, Instant::now());
        }
    }
}

/// A set-up step's reply must have `status`.
pub fn must(reply: &Reply, status: u16) -> Result<()> {
    if reply.status == status {
        Ok(())
    } else {
        Err(format!("set-up failed: expected {status}: {}", reply.described).into())
    }
}

fn clip(text: &str, max: usize) -> String {
    let mut clipped: String = text.chars().take(max).collect();
    if clipped.len() < text.len() {
        clipped.push_str("...");
    }
    clipped.replace(['\n', '|'], " ")
}

/// splitmix64: the soak's choices, the same for the same seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// In `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
}
