//! Sign-in hardening (issue 16, part 1): token answers are never cached, a reused refresh
//! token revokes the access tokens already minted from its family, and a refresh that races
//! a logout cannot mint a token that survives it.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{Harness, PASSWORD};
use fountain_store::Table;
use reqwest::Method;
use serde_json::{Value, json};

async fn public_post(h: &Harness, path: &str, body: Value) -> fountain_e2e::Reply {
    Harness::send(h.request(Method::POST, path, None).json(&body)).await
}

async fn me(h: &Harness, access_token: &Value) -> u16 {
    Harness::send(
        h.http
            .get(h.url("/me"))
            .bearer_auth(access_token.as_str().unwrap()),
    )
    .await
    .status
}

async fn signed_in(h: &Harness, email: &str) -> Value {
    let body = json!({ "email": email, "password": PASSWORD });
    assert_eq!(
        public_post(h, "/auth/register", body.clone()).await.status,
        202
    );
    let login = public_post(h, "/auth/login", body).await;
    assert_eq!(login.status, 200);
    login.body
}

#[tokio::test]
async fn token_answers_are_never_cached() {
    let h = Harness::start("sign-in-cache").await;
    let body = json!({ "email": "c@example.org", "password": PASSWORD });
    public_post(&h, "/auth/register", body.clone()).await;
    let login = public_post(&h, "/auth/login", body).await;
    assert_eq!(login.header("cache-control"), Some("no-store"));
    let refreshed = public_post(
        &h,
        "/auth/refresh",
        json!({ "refreshToken": login.body["refreshToken"] }),
    )
    .await;
    assert_eq!(refreshed.status, 200);
    assert_eq!(refreshed.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn a_reused_refresh_token_revokes_the_access_tokens_minted_from_its_family() {
    let h = Harness::start("sign-in-reuse").await;
    let first = signed_in(&h, "t@example.org").await;
    let second = public_post(
        &h,
        "/auth/refresh",
        json!({ "refreshToken": first["refreshToken"] }),
    )
    .await
    .body;
    assert_eq!(me(&h, &second["accessToken"]).await, 200);

    // The stolen first token comes back.
    let reused = public_post(
        &h,
        "/auth/refresh",
        json!({ "refreshToken": first["refreshToken"] }),
    )
    .await;
    assert_eq!(reused.status, 401);
    assert_eq!(me(&h, &first["accessToken"]).await, 401);
    assert_eq!(
        me(&h, &second["accessToken"]).await,
        401,
        "the access token minted from the family is revoked too"
    );
    // The owner signs in again; the new family is untouched by the revocation.
    let again = public_post(
        &h,
        "/auth/login",
        json!({ "email": "t@example.org", "password": PASSWORD }),
    )
    .await;
    assert_eq!(again.status, 200);
    assert_eq!(me(&h, &again.body["accessToken"]).await, 200);
}

#[tokio::test]
async fn an_exchange_racing_a_logout_is_refused_at_the_store() {
    let h = Harness::start("sign-in-race").await;
    let tokens = signed_in(&h, "race@example.org").await;
    let table = Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    );
    let hash = fountain_identity::tokens::hash(tokens["refreshToken"].as_str().unwrap());
    // The refresh handler has read the token, its family and the bound: all fine.
    let record = fountain_identity::store::load_refresh(&table, &hash)
        .await
        .unwrap()
        .unwrap();
    // Then the logout commits...
    let logout = Harness::send(
        h.http
            .post(h.url("/auth/logout"))
            .bearer_auth(tokens["accessToken"].as_str().unwrap()),
    )
    .await;
    assert_eq!(logout.status, 204);
    // ...before the exchange: it must not mint a token that survives the logout.
    let (_, next_hash) = fountain_identity::tokens::new_token();
    let next = fountain_identity::RefreshRecord {
        pk: fountain_identity::RefreshRecord::pk(&next_hash),
        ..record.clone()
    };
    let refused = fountain_identity::store::rotate(&table, &record, &next)
        .await
        .unwrap_err();
    assert!(
        refused.refused(fountain_identity::store::FAMILY_REVOKED),
        "{refused}"
    );
}

async fn set(h: &Harness, key: &str, value: u64) {
    let reply = Harness::send(
        h.request(
            Method::PUT,
            &format!("/config/{key}"),
            Some(fountain_e2e::ADMIN),
        )
        .json(&json!({ "value": value })),
    )
    .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
}

async fn from(h: &Harness, ip: &str, path: &str, body: Value) -> fountain_e2e::Reply {
    Harness::send(
        h.request(Method::POST, path, None)
            .header("x-local-source-ip", ip)
            .json(&body),
    )
    .await
}

#[tokio::test]
async fn the_public_routes_are_limited_per_client_address_and_per_email() {
    let h = Harness::start("sign-in-limits").await;
    set(&h, "SIGN_IN_REQUESTS_PER_MINUTE_PER_CLIENT", 3).await;
    set(&h, "SIGN_IN_REQUESTS_PER_MINUTE_PER_EMAIL", 3).await;
    tokio::time::sleep(fountain_runtime::settings::MAX_STALENESS).await;

    // One address, many accounts: eight in a row cannot all pass (at most one minute
    // boundary falls among them, and each minute allows three).
    let mut statuses = Vec::new();
    for i in 0..8 {
        let body = json!({ "email": format!("flood{i}@example.org"), "password": PASSWORD });
        let reply = from(&h, "203.0.113.50", "/auth/register", body).await;
        if reply.status == 429 {
            assert!(reply.header("retry-after").is_some());
        }
        statuses.push(reply.status);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let elsewhere = from(
        &h,
        "198.51.100.50",
        "/auth/register",
        json!({ "email": "calm@example.org", "password": PASSWORD }),
    )
    .await;
    assert_eq!(elsewhere.status, 202, "another address is not limited");

    // One email from many addresses: the email's own limit.
    let mut statuses = Vec::new();
    for i in 0..8 {
        let body = json!({ "email": "target@example.org", "password": "a wrong passphrase" });
        statuses.push(
            from(&h, &format!("192.0.2.{i}"), "/auth/login", body)
                .await
                .status,
        );
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let refresh = from(
        &h,
        "203.0.113.50",
        "/auth/refresh",
        json!({ "refreshToken": "made-up" }),
    )
    .await;
    assert!([401, 429].contains(&refresh.status), "{}", refresh.status);
}
