//! Signing keys (decision 49): tokens are EdDSA with a key id; the public set is published at
//! `GET /.well-known/jwks.json`; a rotation publishes the next key before it signs, and both
//! keys verify while it happens; in AWS the local development key is refused.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use fountain_e2e::{Harness, PASSWORD};
use fountain_local::StackOptions;
use reqwest::Method;
use serde_json::{Value, json};

fn kid(token: &Value) -> String {
    jsonwebtoken::decode_header(token.as_str().unwrap())
        .unwrap()
        .kid
        .unwrap()
}

async fn published_kids(h: &Harness) -> Vec<String> {
    let jwks = Harness::send(h.http.get(h.url("/.well-known/jwks.json"))).await;
    assert_eq!(jwks.status, 200, "{:?}", jwks.body);
    jwks.body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_rotation_publishes_the_next_key_before_it_signs_and_both_verify_meanwhile() {
    let mut options = StackOptions::for_test("keys");
    // Readers re-read at once and a new key signs after 2 s (in AWS: 5 and 10 minutes).
    options.env_overrides.extend([
        ("KEY_CACHE_SECONDS".to_owned(), "0".to_owned()),
        ("KEY_ACTIVATION_SECONDS".to_owned(), "2".to_owned()),
    ]);
    let h = Harness::start_with(options).await;
    h.account("k@example.org").await;

    let jwks = Harness::send(h.http.get(h.url("/.well-known/jwks.json"))).await;
    assert_eq!(jwks.header("cache-control"), Some("public, max-age=300"));
    let key = &jwks.body["keys"][0];
    assert_eq!(
        (&key["kty"], &key["crv"], &key["alg"], &key["use"]),
        (
            &json!("OKP"),
            &json!("Ed25519"),
            &json!("EdDSA"),
            &json!("sig")
        )
    );
    assert!(key.get("d").is_none(), "no private part is published");
    assert_eq!(published_kids(&h).await, ["local-development"]);

    let before = h.tokens("k@example.org").await;
    assert_eq!(kid(&before["accessToken"]), "local-development");

    h.stack.fire("RotateSigningKeysFunction").await.unwrap();
    let kids = published_kids(&h).await;
    assert_eq!(kids.len(), 2, "{kids:?}");
    let next = kids[1].clone();
    assert_ne!(next, "local-development");
    // Published, not signing yet.
    let meanwhile = h.tokens("k@example.org").await;
    assert_eq!(kid(&meanwhile["accessToken"]), "local-development");

    tokio::time::sleep(Duration::from_millis(2500)).await;
    let after = h.tokens("k@example.org").await;
    assert_eq!(kid(&after["accessToken"]), next);
    let refreshed = h
        .post_public(
            "/auth/refresh",
            json!({ "refreshToken": before["refreshToken"] }),
        )
        .await;
    assert_eq!(kid(&refreshed.body["accessToken"]), next);

    // Tokens of both keys are accepted while the old one is kept.
    for token in [&before["accessToken"], &after["accessToken"]] {
        let me = Harness::send(
            h.http
                .request(Method::GET, h.url("/me"))
                .bearer_auth(token.as_str().unwrap()),
        )
        .await;
        assert_eq!(me.status, 200, "{:?}", me.body);
    }
}

#[tokio::test]
async fn in_aws_a_function_refuses_the_local_development_key() {
    let mut options = StackOptions::for_test("awskey");
    options.env_overrides.insert(
        "AWS_LAMBDA_FUNCTION_NAME".to_owned(),
        "fountain-as-if-in-aws".to_owned(),
    );
    let h = Harness::start_with(options).await;
    // The authorizer will not verify with it: no caller gets through.
    let refused = h.get("/scripts", "alice").await;
    assert_eq!(refused.status, 503, "{:?}", refused.body);
    // Nor will login sign with it, nor the key set be published.
    let registered = h
        .post_public(
            "/auth/register",
            json!({ "email": "a@example.org", "password": PASSWORD }),
        )
        .await;
    assert_eq!(registered.status, 202);
    let login = h
        .post_public(
            "/auth/login",
            json!({ "email": "a@example.org", "password": PASSWORD }),
        )
        .await;
    assert_eq!(login.status, 503, "{:?}", login.body);
    assert!(login.body.get("accessToken").is_none());
    let jwks = Harness::send(h.http.get(h.url("/.well-known/jwks.json"))).await;
    assert_eq!(jwks.status, 503);

    // A rotation replaces the local key: then sign-in works, with a key of the deployment's.
    h.stack.fire("RotateSigningKeysFunction").await.unwrap();
    let login = h
        .post_public(
            "/auth/login",
            json!({ "email": "a@example.org", "password": PASSWORD }),
        )
        .await;
    assert_eq!(login.status, 200, "{:?}", login.body);
    assert_ne!(kid(&login.body["accessToken"]), "local-development");
    let me = Harness::send(
        h.http
            .get(h.url("/me"))
            .bearer_auth(login.body["accessToken"].as_str().unwrap()),
    )
    .await;
    assert_eq!(me.status, 200, "{:?}", me.body);
}
