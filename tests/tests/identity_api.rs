//! Accounts and tokens: registration, login, refresh rotation with reuse detection,
//! logout that revokes every token at once, and the wait after failed logins.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{Harness, Reply};
use fountain_store::{Table, keys, s};
use reqwest::Method;
use serde_json::{Value, json};

const PASSWORD: &str = "a long and fine passphrase";

async fn public_post(h: &Harness, path: &str, body: Value) -> Reply {
    Harness::send(h.request(Method::POST, path, None).json(&body)).await
}

async fn with_token(h: &Harness, method: Method, path: &str, token: &str) -> Reply {
    Harness::send(
        h.http
            .request(method, h.url(path))
            .bearer_auth(token)
            .json(&json!({ "title": "t" })),
    )
    .await
}

async fn login(h: &Harness, email: &str, password: &str) -> Reply {
    public_post(
        h,
        "/auth/login",
        json!({ "email": email, "password": password }),
    )
    .await
}

#[tokio::test]
async fn a_user_registers_logs_in_and_uses_the_api() {
    let h = Harness::start("accounts").await;
    let registered = public_post(
        &h,
        "/auth/register",
        json!({ "email": "Writer@Example.org", "password": PASSWORD }),
    )
    .await;
    assert_eq!(registered.status, 202, "{:?}", registered.body);
    assert!(registered.body.get("passwordHash").is_none());
    assert!(registered.body.get("userId").is_none());

    // A taken address answers the same (the rest is said by email: tests/tests/email.rs).
    let again = public_post(
        &h,
        "/auth/register",
        json!({ "email": "writer@example.ORG", "password": "another fine passphrase" }),
    )
    .await;
    assert_eq!((again.status, &again.body), (202, &registered.body));
    let weak = public_post(
        &h,
        "/auth/register",
        json!({ "email": "x@example.org", "password": "short" }),
    )
    .await;
    assert_eq!(weak.status, 422);
    assert_eq!(weak.body["errors"][0]["field"], "password");
    let bad_email = public_post(
        &h,
        "/auth/register",
        json!({ "email": "nope", "password": PASSWORD }),
    )
    .await;
    assert_eq!(bad_email.body["errors"][0]["field"], "email");

    let tokens = login(&h, "WRITER@example.org", PASSWORD).await;
    assert_eq!(tokens.status, 200, "{:?}", tokens.body);
    assert_eq!(tokens.body["tokenType"], "Bearer");
    assert_eq!(tokens.body["expiresIn"], 900);
    let access = tokens.body["accessToken"].as_str().unwrap();
    let me = with_token(&h, Method::GET, "/me", access).await;
    assert_eq!(me.status, 200);
    let user_id = me.body["userId"].as_str().unwrap().to_owned();
    assert_eq!(me.body["email"], "Writer@Example.org");
    assert_eq!(me.body["emailVerified"], false);
    assert_eq!(
        login(&h, "writer@example.org", "another fine passphrase")
            .await
            .status,
        401,
        "the second registration changed nothing"
    );
    assert_eq!(
        with_token(&h, Method::POST, "/scripts", access)
            .await
            .status,
        201
    );

    assert_eq!(
        login(&h, "writer@example.org", "the wrong passphrase")
            .await
            .status,
        401
    );
    assert_eq!(login(&h, "nobody@example.org", PASSWORD).await.status, 401);

    // Registration and login are caused by the user, so the user sees them.
    let events = h
        .wait_for_events(
            &format!("aggregateId={user_id}"),
            &["UserRegistered", "UserLoggedIn"],
        )
        .await;
    assert_eq!(events[0]["type"], "UserRegistered");
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_revokes_its_family() {
    let h = Harness::start("refresh").await;
    public_post(
        &h,
        "/auth/register",
        json!({ "email": "r@example.org", "password": PASSWORD }),
    )
    .await;
    let first = login(&h, "r@example.org", PASSWORD).await.body;
    let refresh =
        |token: &Value| public_post(&h, "/auth/refresh", json!({ "refreshToken": token }));

    let second = refresh(&first["refreshToken"]).await;
    assert_eq!(second.status, 200);
    assert_ne!(second.body["refreshToken"], first["refreshToken"]);
    assert_eq!(
        with_token(
            &h,
            Method::GET,
            "/me",
            second.body["accessToken"].as_str().unwrap()
        )
        .await
        .status,
        200
    );

    // The first token again: reuse. It fails, and so does the family's current token.
    assert_eq!(refresh(&first["refreshToken"]).await.status, 401);
    assert_eq!(refresh(&second.body["refreshToken"]).await.status, 401);
    assert_eq!(refresh(&json!("made-up")).await.status, 401);

    // Another login starts a new family, untouched by the revoked one.
    let other = login(&h, "r@example.org", PASSWORD).await.body;
    assert_eq!(refresh(&other["refreshToken"]).await.status, 200);
}

#[tokio::test]
async fn logout_revokes_every_token_at_once_and_ends_the_sessions() {
    let h = Harness::start("logout").await;
    public_post(
        &h,
        "/auth/register",
        json!({ "email": "l@example.org", "password": PASSWORD }),
    )
    .await;
    let laptop = login(&h, "l@example.org", PASSWORD).await.body;
    let phone = login(&h, "l@example.org", PASSWORD).await.body;
    let laptop_access = laptop["accessToken"].as_str().unwrap();
    let phone_access = phone["accessToken"].as_str().unwrap();
    assert_eq!(
        with_token(&h, Method::GET, "/scripts", phone_access)
            .await
            .status,
        200
    );

    let logout = Harness::send(
        h.http
            .post(h.url("/auth/logout"))
            .bearer_auth(laptop_access)
            .header("x-correlation-id", "bye"),
    )
    .await;
    assert_eq!(logout.status, 204);

    // No waiting: the very next requests with any earlier token are refused.
    for (method, path) in [
        (Method::GET, "/scripts"),
        (Method::POST, "/scripts"),
        (Method::GET, "/me"),
        (Method::POST, "/auth/logout"),
    ] {
        for token in [laptop_access, phone_access] {
            let reply = with_token(&h, method.clone(), path, token).await;
            assert_eq!(reply.status, 401, "{method} {path}");
            assert!(reply.body["detail"].as_str().unwrap().contains("revoked"));
        }
    }
    for session in [&laptop, &phone] {
        let refreshed = public_post(
            &h,
            "/auth/refresh",
            json!({ "refreshToken": session["refreshToken"] }),
        )
        .await;
        assert_eq!(refreshed.status, 401);
    }

    // Logging in again works.
    let fresh = login(&h, "l@example.org", PASSWORD).await.body;
    assert_eq!(
        with_token(
            &h,
            Method::GET,
            "/scripts",
            fresh["accessToken"].as_str().unwrap()
        )
        .await
        .status,
        200
    );

    let user_id = with_token(
        &h,
        Method::GET,
        "/me",
        fresh["accessToken"].as_str().unwrap(),
    )
    .await
    .body["userId"]
        .as_str()
        .unwrap()
        .to_owned();
    let events = h
        .wait_for_events("correlationId=bye", &["UserLoggedOut"])
        .await;
    assert_eq!(events[0]["data"]["userId"], user_id.as_str());

    // The UserLoggedOut consumer ends the sessions of before the logout, not the new one.
    let table = Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    );
    let statuses = Harness::eventually(20, "the old sessions to end", || async {
        let output = table
            .client
            .query()
            .table_name(&table.name)
            .key_condition_expression("pk = :pk AND begins_with(sk, :family)")
            .expression_attribute_values(":pk", s(keys::credential(&user_id)))
            .expression_attribute_values(":family", s(keys::FAMILY))
            .send()
            .await
            .unwrap();
        let mut statuses: Vec<String> = output
            .items
            .unwrap_or_default()
            .iter()
            .map(|item| item["status"].as_s().unwrap().clone())
            .collect();
        statuses.sort();
        (statuses.iter().filter(|s| *s == "revoked").count() == 2).then_some(statuses)
    })
    .await;
    assert_eq!(statuses, ["active", "revoked", "revoked"]);
}

#[tokio::test]
async fn repeated_failed_logins_make_that_client_wait_not_the_owner_elsewhere() {
    let h = Harness::start("lockout").await;
    public_post(
        &h,
        "/auth/register",
        json!({ "email": "k@example.org", "password": PASSWORD }),
    )
    .await;
    let attempt = |email: &'static str, password: &'static str, ip: &'static str| {
        Harness::send(
            h.request(Method::POST, "/auth/login", None)
                .header("x-local-source-ip", ip)
                .json(&json!({ "email": email, "password": password })),
        )
    };
    let attacker = "203.0.113.7";
    // The same for an account and for an email that has none: nothing tells them apart.
    for email in ["k@example.org", "nobody@example.org"] {
        for _ in 0..5 {
            let failed = attempt(email, "not the passphrase", attacker).await;
            assert_eq!(failed.status, 401, "{email}");
            assert_eq!(
                failed.body["detail"],
                "unauthorized: the email address or the password is wrong"
            );
        }
        let waiting = attempt(email, PASSWORD, attacker).await;
        assert_eq!(waiting.status, 429, "{email}");
        let retry_after: u64 = waiting.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=5).contains(&retry_after), "{retry_after}");
        assert!(waiting.body.get("accessToken").is_none());
    }
    // The owner, from elsewhere, is not held up.
    let owner = attempt("k@example.org", PASSWORD, "198.51.100.1").await;
    assert_eq!(owner.status, 200, "{:?}", owner.body);
}

#[tokio::test]
async fn concurrent_guesses_are_not_all_evaluated() {
    let h = Harness::start("guesses").await;
    public_post(
        &h,
        "/auth/register",
        json!({ "email": "g@example.org", "password": PASSWORD }),
    )
    .await;
    let guesses = (0..10).map(|i| {
        Harness::send(
            h.request(Method::POST, "/auth/login", None)
                .header("x-local-source-ip", "203.0.113.9")
                .json(
                    &json!({ "email": "g@example.org", "password": format!("guess number {i}") }),
                ),
        )
    });
    let statuses: Vec<u16> = futures::future::join_all(guesses)
        .await
        .iter()
        .map(|r| r.status)
        .collect();
    let evaluated = statuses.iter().filter(|s| **s == 401).count();
    let held = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(evaluated + held, 10, "{statuses:?}");
    assert!(
        evaluated < 10,
        "each attempt is reserved before it is verified: {statuses:?}"
    );
}
