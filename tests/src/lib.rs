//! The test harness: a whole local stack per test (own resource names, ephemeral port) over
//! the emulator the test command started, and a small HTTP client for it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod bench;
pub mod seed;

use std::time::{Duration, Instant};

use fountain_local::emails::SentEmail;
use fountain_local::{LocalStack, StackOptions, dev_token};
use reqwest::Method;
use serde_json::Value;

/// The user the tests read the event store and change settings as.
pub const ADMIN: &str = "ops-admin";

pub struct Harness {
    pub stack: LocalStack,
    pub http: reqwest::Client,
}

/// A registered, logged-in user.
#[derive(Debug, Clone)]
pub struct Account {
    pub user_id: String,
    pub email: String,
    pub token: String,
}

/// The password every test account uses.
pub const PASSWORD: &str = "a long and fine passphrase";

/// The token in an email's link.
pub fn token_in(mail: &SentEmail) -> String {
    fountain_mail::messages::token_in(mail.text.as_deref().unwrap_or_default())
        .unwrap_or_else(|| panic!("no token in {mail:?}"))
        .to_owned()
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Harness {
    pub async fn start(name: &str) -> Self {
        Self::start_with(StackOptions::for_test(name)).await
    }

    pub async fn start_with(options: StackOptions) -> Self {
        fountain_runtime::metrics::disable();
        if std::env::var_os("RUST_LOG").is_some() {
            fountain_runtime::telemetry::init();
        }
        let stack = match LocalStack::start(options.clone()).await {
            Ok(stack) => stack,
            // The emulator, busy with many stacks, can answer one provisioning call with a
            // bare error page; a second stack, under a prefix of its own, starts clean.
            Err(first) => {
                eprintln!("local stack did not start ({first:#}); starting it again");
                let mut again = options;
                again.prefix = again.prefix.replacen('t', "r", 1);
                LocalStack::start(again).await.expect(
                    "local stack did not start: run the tests with ./infra/test.sh, which starts the emulator",
                )
            }
        };
        Self {
            stack,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.stack.url())
    }

    /// A development token for `user`; [`ADMIN`] gets the admin role.
    pub fn token(user: &str) -> String {
        let roles = if user == ADMIN {
            vec!["admin".to_owned()]
        } else {
            Vec::new()
        };
        dev_token(user, &roles, 5).unwrap()
    }

    /// A request as `user` (no Authorization header for `None`).
    pub fn request(
        &self,
        method: Method,
        path: &str,
        user: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let builder = self.http.request(method, self.url(path));
        match user {
            Some(user) => builder.bearer_auth(Self::token(user)),
            None => builder,
        }
    }

    pub async fn send(builder: reqwest::RequestBuilder) -> Reply {
        let response = builder.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, user: &str) -> Reply {
        Self::send(self.request(Method::GET, path, Some(user))).await
    }

    pub async fn post(&self, path: &str, user: &str, body: Value) -> Reply {
        Self::send(self.request(Method::POST, path, Some(user)).json(&body)).await
    }

    /// A POST without a token (the public routes).
    pub async fn post_public(&self, path: &str, body: Value) -> Reply {
        Self::send(self.request(Method::POST, path, None).json(&body)).await
    }

    pub async fn patch(&self, path: &str, user: &str, etag: &str, body: Value) -> Reply {
        Self::send(
            self.request(Method::PATCH, path, Some(user))
                .header("if-match", etag)
                .json(&body),
        )
        .await
    }

    pub async fn delete(&self, path: &str, user: &str) -> Reply {
        Self::send(self.request(Method::DELETE, path, Some(user))).await
    }

    /// Registers `email` and logs in (the address stays unverified).
    pub async fn account(&self, email: &str) -> Account {
        let body = serde_json::json!({ "email": email, "password": PASSWORD });
        let registered = Self::send(
            self.request(Method::POST, "/auth/register", None)
                .json(&body),
        )
        .await;
        assert_eq!(registered.status, 202, "{:?}", registered.body);
        self.sign_in(email).await
    }

    /// Logs in as `email` (with [`PASSWORD`]): the token pair.
    pub async fn tokens(&self, email: &str) -> Value {
        let body = serde_json::json!({ "email": email, "password": PASSWORD });
        let tokens = Self::send(self.request(Method::POST, "/auth/login", None).json(&body)).await;
        assert_eq!(tokens.status, 200, "{:?}", tokens.body);
        tokens.body
    }

    /// Logs in as `email`: the account with a fresh access token.
    pub async fn sign_in(&self, email: &str) -> Account {
        let token = self.tokens(email).await["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
        let me = Self::send(self.http.get(self.url("/me")).bearer_auth(&token)).await;
        assert_eq!(me.status, 200, "{:?}", me.body);
        Account {
            user_id: me.body["userId"].as_str().unwrap().to_owned(),
            email: email.to_owned(),
            token,
        }
    }

    /// Registers `email`, verifies it with the token of the verification email, and logs in.
    pub async fn verified_account(&self, email: &str) -> Account {
        let account = self.account(email).await;
        let mail = self.email(email, "Verify your email address", 1).await;
        let verified = Self::send(
            self.request(Method::POST, "/auth/verify-email", None)
                .json(&serde_json::json!({ "token": token_in(&mail) })),
        )
        .await;
        assert_eq!(verified.status, 200, "{:?}", verified.body);
        account
    }

    /// Makes the account's last email look older than a minute, so that a request may send it
    /// another (an account gets at most one a minute).
    pub async fn age_last_email(&self, user_id: &str) {
        let table = self.stack.table_name("AppTable").unwrap();
        aws_sdk_dynamodb::Client::new(&self.stack.sdk)
            .update_item()
            .table_name(table)
            .key("pk", fountain_store::s(fountain_store::keys::user(user_id)))
            .key("sk", fountain_store::s(fountain_store::keys::PROFILE_SK))
            .update_expression("SET mailedAt = :old")
            .expression_attribute_values(
                ":old",
                fountain_store::n(chrono::Utc::now().timestamp_millis() - 61_000),
            )
            .send()
            .await
            .unwrap();
    }

    /// The emails this stack sent to `address` (their links name this stack), oldest first.
    pub async fn emails(&self, address: &str) -> Vec<SentEmail> {
        let stack = self.stack.url();
        fountain_local::emails::sent_to(address)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.text.as_deref().is_some_and(|t| t.contains(&stack)))
            .collect()
    }

    /// Waits until this stack has sent `count` emails to `address` with `subject`, and
    /// returns the last.
    pub async fn email(&self, address: &str, subject: &str, count: usize) -> SentEmail {
        let mut matching =
            Self::eventually(15, &format!("email {subject:?} to {address}"), || async {
                let found: Vec<SentEmail> = self
                    .emails(address)
                    .await
                    .into_iter()
                    .filter(|m| m.subject.as_deref().is_some_and(|s| s.starts_with(subject)))
                    .collect();
                (found.len() >= count).then_some(found)
            })
            .await;
        matching.pop().unwrap()
    }

    /// A request with `account`'s token and an optional JSON body.
    pub async fn call(
        &self,
        account: &Account,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let builder = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&account.token);
        Self::send(match body {
            Some(body) => builder.json(&body),
            None => builder,
        })
        .await
    }

    /// `owner` invites `invitee` (whose address is verified) to `script_id` with `role`, and
    /// `invitee` accepts with the token of the invitation email.
    pub async fn join(&self, owner: &Account, invitee: &Account, script_id: &str, role: &str) {
        let (_, token) = self.invite(owner, &invitee.email, script_id, role).await;
        let accepted = self.accept(invitee, &token).await;
        assert_eq!(accepted.status, 200, "{:?}", accepted.body);
    }

    /// `owner` invites `address` to `script_id` with `role`: the 201 reply and the token of
    /// the invitation email that follows.
    pub async fn invite(
        &self,
        owner: &Account,
        address: &str,
        script_id: &str,
        role: &str,
    ) -> (Reply, String) {
        let before = self.invitations_sent(address).await;
        let invitation = self
            .call(
                owner,
                Method::POST,
                &format!("/scripts/{script_id}/invitations"),
                Some(serde_json::json!({ "email": address, "role": role })),
            )
            .await;
        assert_eq!(invitation.status, 201, "{:?}", invitation.body);
        let mail = self.email(address, "You are invited", before + 1).await;
        (invitation, token_in(&mail))
    }

    /// How many invitation emails this stack has sent to `address`.
    pub async fn invitations_sent(&self, address: &str) -> usize {
        self.emails(address)
            .await
            .iter()
            .filter(|m| {
                m.subject
                    .as_deref()
                    .is_some_and(|s| s.starts_with("You are invited"))
            })
            .count()
    }

    /// `invitee` accepts the invitation of `token`.
    pub async fn accept(&self, invitee: &Account, token: &str) -> Reply {
        self.call(
            invitee,
            Method::POST,
            "/invitations/accept",
            Some(serde_json::json!({ "token": token })),
        )
        .await
    }

    /// Imports Fountain `text` as a new script of `user` (`POST /scripts/import`).
    pub async fn import(&self, user: &str, text: &str) -> Reply {
        Self::send(
            self.request(Method::POST, "/scripts/import", Some(user))
                .header("content-type", "text/plain; charset=utf-8")
                .body(text.to_owned()),
        )
        .await
    }

    /// Creates a script as `user`; returns its id and ETag.
    pub async fn create_script(&self, user: &str, title: &str) -> (String, String) {
        let reply = self
            .post("/scripts", user, serde_json::json!({ "title": title }))
            .await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        (
            reply.body["scriptId"].as_str().unwrap().to_owned(),
            reply.header("etag").unwrap().to_owned(),
        )
    }

    /// Waits until the event store (read as [`ADMIN`]) holds events of every type in `types` for `query`
    /// (e.g. `correlationId=...`), and returns all of them in order.
    pub async fn wait_for_events(&self, query: &str, types: &[&str]) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let reply = self.get(&format!("/events?{query}&limit=100"), ADMIN).await;
            assert_eq!(reply.status, 200, "{:?}", reply.body);
            let items = reply.body["items"].as_array().cloned().unwrap_or_default();
            let seen: Vec<&str> = items.iter().filter_map(|e| e["type"].as_str()).collect();
            if types.iter().all(|t| seen.contains(t)) {
                return items;
            }
            assert!(
                Instant::now() < deadline,
                "events {types:?} did not arrive for {query}; saw {seen:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The messages of the queue at `url` as SQS counts them: (visible, in flight).
    pub async fn queue_depth(&self, url: &str) -> (u64, u64) {
        let attributes = aws_sdk_sqs::Client::new(&self.stack.sdk)
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap();
        let count = |name: aws_sdk_sqs::types::QueueAttributeName| {
            attributes
                .get(&name)
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("no {name} of {url}"))
        };
        (
            count(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages),
            count(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
        )
    }

    /// Polls `check` until it returns `Some`, for at most `seconds`.
    pub async fn eventually<T, F, Fut>(seconds: u64, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            if let Some(value) = check().await {
                return value;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
