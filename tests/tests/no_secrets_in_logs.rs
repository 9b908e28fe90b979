//! Logs never show a password, a token or a password hash: every log line of a whole
//! account lifecycle (with its verification, invitation and password reset tokens) is
//! captured at debug level and searched for them.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use fountain_e2e::{Harness, token_in};
use reqwest::Method;
use serde_json::json;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_password_token_or_hash_is_ever_logged() {
    let capture = Capture::default();
    let writer = capture.clone();
    fountain_runtime::telemetry::init_with("debug", move || writer.clone());
    let h = Harness::start("logs").await;

    let password = "the secret passphrase 42";
    let send = |path: &str, body: serde_json::Value| {
        Harness::send(h.request(Method::POST, path, None).json(&body))
    };
    assert_eq!(
        send(
            "/auth/register",
            json!({ "email": "s@example.org", "password": password })
        )
        .await
        .status,
        202
    );
    let verification = token_in(&h.email("s@example.org", "Verify", 1).await);
    assert_eq!(
        send("/auth/verify-email", json!({ "token": verification }))
            .await
            .status,
        200
    );
    assert_eq!(
        send(
            "/auth/login",
            json!({ "email": "s@example.org", "password": "a wrong passphrase!" })
        )
        .await
        .status,
        401
    );
    let tokens = send(
        "/auth/login",
        json!({ "email": "s@example.org", "password": password }),
    )
    .await
    .body;
    let refreshed = send(
        "/auth/refresh",
        json!({ "refreshToken": tokens["refreshToken"] }),
    )
    .await
    .body;
    let access = refreshed["accessToken"].as_str().unwrap();
    let me = Harness::send(h.http.get(h.url("/me")).bearer_auth(access)).await;
    assert_eq!(me.status, 200);

    // An invitation, accepted with the token of its email.
    let owner = fountain_e2e::Account {
        user_id: me.body["userId"].as_str().unwrap().to_owned(),
        email: "s@example.org".into(),
        token: access.to_owned(),
    };
    let invitee = h.verified_account("i@example.org").await;
    let invitee_verification = token_in(&h.email("i@example.org", "Verify", 1).await);
    let script = h
        .call(
            &owner,
            Method::POST,
            "/scripts",
            Some(json!({ "title": "Secret" })),
        )
        .await
        .body["scriptId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, invitation) = h.invite(&owner, "i@example.org", &script, "viewer").await;
    assert_eq!(h.accept(&invitee, &invitation).await.status, 200);

    assert_eq!(
        Harness::send(h.http.post(h.url("/auth/logout")).bearer_auth(access))
            .await
            .status,
        204
    );

    // A password reset, with the token of its email (a minute after the last email).
    h.age_last_email(&owner.user_id).await;
    assert_eq!(
        send("/auth/forgot-password", json!({ "email": "s@example.org" }))
            .await
            .status,
        202
    );
    let reset = token_in(&h.email("s@example.org", "Reset your password", 1).await);
    let new_password = "another secret passphrase 43";
    assert_eq!(
        send(
            "/auth/reset-password",
            json!({ "token": reset, "password": new_password })
        )
        .await
        .status,
        204
    );

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("request handled"),
        "the capture saw the requests"
    );
    let secrets = [
        password,
        "a wrong passphrase!",
        tokens["accessToken"].as_str().unwrap(),
        tokens["refreshToken"].as_str().unwrap(),
        refreshed["refreshToken"].as_str().unwrap(),
        access,
        "$argon2id$",
        &verification,
        &invitee_verification,
        &invitation,
        &reset,
        new_password,
        &invitee.token,
    ];
    for secret in secrets {
        assert!(
            !logs.contains(secret),
            "a secret was logged: {}…",
            &secret[..8.min(secret.len())]
        );
    }
}
