//! Bad requests get a clear problem+json answer and leave nothing written.
#![allow(clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fountain_e2e::{ADMIN, Harness, Reply};
use reqwest::Method;
use serde_json::json;

fn assert_problem(reply: &Reply, status: u16, field: Option<&str>) {
    assert_eq!(reply.status, status, "{:?}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.body["status"], status);
    assert!(
        reply.body["type"]
            .as_str()
            .unwrap()
            .starts_with("urn:fountainai:problem:")
    );
    assert!(!reply.body["detail"].as_str().unwrap().is_empty());
    assert!(reply.body["correlationId"].is_string());
    if let Some(field) = field {
        assert_eq!(reply.body["errors"][0]["field"], field, "{:?}", reply.body);
    }
}

#[tokio::test]
async fn malformed_mistyped_oversized_and_invalid_bodies_are_refused_and_nothing_is_written() {
    let h = Harness::start("badinput").await;
    let post = |body: String, content_type: &'static str| {
        h.request(Method::POST, "/scripts", Some("alice"))
            .header("content-type", content_type)
            .header("x-correlation-id", "bad-input")
            .body(body)
    };
    assert_problem(
        &Harness::send(post("{\"title\": ".into(), "application/json")).await,
        400,
        None,
    );
    assert_problem(
        &Harness::send(post("{\"title\":\"x\"}".into(), "text/plain")).await,
        415,
        None,
    );
    let huge = format!(
        "{{\"title\":\"x\",\"description\":\"{}\"}}",
        "d".repeat(70 * 1024)
    );
    assert_problem(
        &Harness::send(post(huge, "application/json")).await,
        413,
        None,
    );
    let unknown = json!({ "title": "x", "colour": "red" }).to_string();
    assert_problem(
        &Harness::send(post(unknown, "application/json")).await,
        422,
        Some("colour"),
    );
    assert_problem(
        &Harness::send(post("{}".into(), "application/json")).await,
        422,
        Some("title"),
    );
    let mistyped = json!({ "title": 42 }).to_string();
    assert_problem(
        &Harness::send(post(mistyped, "application/json")).await,
        422,
        Some("title"),
    );
    let too_long = json!({ "title": "t".repeat(201) }).to_string();
    assert_problem(
        &Harness::send(post(too_long, "application/json")).await,
        422,
        Some("title"),
    );
    let blank = json!({ "title": "   " }).to_string();
    assert_problem(
        &Harness::send(post(blank, "application/json")).await,
        422,
        Some("title"),
    );
    let long_comment = json!({ "title": "ok", "comment": "c".repeat(1001) }).to_string();
    assert_problem(
        &Harness::send(post(long_comment, "application/json")).await,
        422,
        Some("comment"),
    );

    let list = h.get("/scripts", "alice").await;
    assert!(
        list.body["items"].as_array().unwrap().is_empty(),
        "nothing was written"
    );

    // Bad updates leave the script as it was.
    let (id, etag) = h.create_script("alice", "Kept").await;
    let path = format!("/scripts/{id}");
    assert_problem(
        &h.patch(&path, "alice", &etag, json!({ "title": "" })).await,
        422,
        Some("title"),
    );
    assert_problem(
        &h.patch(&path, "alice", &etag, json!({ "owner": "bob" }))
            .await,
        422,
        Some("owner"),
    );
    let characters = format!("{path}/characters");
    assert_problem(
        &h.post(&characters, "alice", json!({ "name": "n".repeat(101) }))
            .await,
        422,
        Some("name"),
    );
    assert_problem(
        &h.post(&characters, "alice", json!({ "name": "A", "age": 3 }))
            .await,
        422,
        Some("age"),
    );
    let read = h.get(&path, "alice").await;
    assert_eq!(read.body["title"], "Kept");
    assert_eq!(read.body["revision"], 1);
    assert!(
        h.get(&characters, "alice").await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Only the one good write produced an event; the refused ones none.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let events = h.get("/events?correlationId=bad-input", ADMIN).await;
    assert!(events.body["items"].as_array().unwrap().is_empty());
}

fn forge(payload: serde_json::Value, header: serde_json::Value) -> String {
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        URL_SAFE_NO_PAD.encode(b"not-a-signature")
    )
}

/// A token with any header and claims, signed (as `alg` says, EdDSA or HS256) with the local
/// development key: for HS256, with its public half as the HMAC secret, the classic
/// algorithm confusion.
fn signed(payload: serde_json::Value, header: serde_json::Value) -> String {
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let local = fountain_auth::SigningKeySet::local_development();
    let (key, algorithm) = if header["alg"] == "HS256" {
        let public = serde_json::to_value(local.public().unwrap()).unwrap();
        let x = public["keys"][0]["x"].as_str().unwrap().to_owned();
        (
            jsonwebtoken::EncodingKey::from_secret(x.as_bytes()),
            jsonwebtoken::Algorithm::HS256,
        )
    } else {
        (
            jsonwebtoken::EncodingKey::from_ed_der(&local.keys[0].der().unwrap()),
            jsonwebtoken::Algorithm::EdDSA,
        )
    };
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, algorithm).unwrap();
    format!("{message}.{signature}")
}

#[tokio::test]
async fn missing_tampered_expired_foreign_and_confused_tokens_are_401() {
    let h = Harness::start("auth").await;
    let (id, _) = h.create_script("alice", "Secret").await;
    let path = format!("/scripts/{id}");

    let anonymous = Harness::send(h.request(Method::GET, &path, None)).await;
    assert_eq!(anonymous.status, 401);

    let token = Harness::token("alice");
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[1] = URL_SAFE_NO_PAD.encode(
        json!({ "sub": "mallory", "iss": "fountainai", "aud": "fountainai-api", "iat": 0, "exp": 4_000_000_000u64 }).to_string(),
    );
    let tampered = parts.join(".");
    let expired = fountain_local::dev_token("alice", &[], -10).unwrap();
    // Signed by a key of someone else's, once under its own key id and once under ours.
    let mut other = fountain_auth::SigningKeySet::default();
    other
        .rotate(chrono::Utc::now(), fountain_auth::keys::ACTIVATION_DELAY)
        .unwrap();
    let foreign = other
        .signer(chrono::Utc::now())
        .unwrap()
        .issue("alice", &[], chrono::Duration::minutes(5))
        .unwrap();
    other.keys[0].kid = fountain_auth::keys::LOCAL_KEY_ID.to_owned();
    let impostor = other
        .signer(chrono::Utc::now())
        .unwrap()
        .issue("alice", &["admin".into()], chrono::Duration::minutes(5))
        .unwrap();
    let unsigned = forge(
        json!({ "sub": "alice", "iss": "fountainai", "aud": "fountainai-api", "iat": 0, "exp": 4_000_000_000u64 }),
        json!({ "alg": "none", "typ": "JWT" }),
    );
    let claims = |audience: &str| json!({ "sub": "alice", "iss": "fountainai", "aud": audience, "iat": 0, "exp": 4_000_000_000u64 });
    let ours = json!({ "alg": "EdDSA", "typ": "JWT", "kid": "local-development" });
    let wrong_audience = signed(claims("another-api"), ours.clone());
    // Algorithm confusion: an HS256 token whose HMAC secret is the published public key.
    let confused = signed(
        claims("fountainai-api"),
        json!({ "alg": "HS256", "typ": "JWT", "kid": "local-development" }),
    );
    let unknown_key = signed(
        claims("fountainai-api"),
        json!({ "alg": "EdDSA", "typ": "JWT", "kid": "k-nobody" }),
    );
    let wrong_issuer = signed(
        json!({ "sub": "alice", "iss": "elsewhere", "aud": "fountainai-api", "iat": 0, "exp": 4_000_000_000u64 }),
        ours.clone(),
    );
    // The control: the same signing with the right header and claims is accepted.
    let genuine = signed(claims("fountainai-api"), ours);
    assert_eq!(
        Harness::send(h.http.get(h.url(&path)).bearer_auth(&genuine))
            .await
            .status,
        200
    );
    for (token, reason) in [
        (tampered, "invalid"),
        (expired, "expired"),
        (foreign, "invalid"),
        (impostor, "invalid"),
        (unknown_key, "invalid"),
        (unsigned, "invalid"),
        (wrong_audience, "invalid"),
        (confused, "invalid"),
        (wrong_issuer, "invalid"),
        ("garbage".to_owned(), "invalid"),
    ] {
        let reply = Harness::send(h.http.get(h.url(&path)).bearer_auth(&token)).await;
        assert_problem(&reply, 401, None);
        assert!(
            reply.body["detail"].as_str().unwrap().contains(reason),
            "{:?}",
            reply.body
        );
        assert_eq!(
            reply.header("www-authenticate"),
            Some("Bearer realm=\"fountainai\"")
        );
    }
    // The script was neither read nor changed by any of them.
    assert_eq!(h.get(&path, "alice").await.body["revision"], 1);
}

#[tokio::test]
async fn health_and_the_api_document_need_no_token_and_unknown_routes_are_404() {
    let h = Harness::start("public").await;
    let health = Harness::send(h.request(Method::GET, "/health", None)).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body["status"], "ok");
    let doc = Harness::send(h.request(Method::GET, "/openapi.json", None)).await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(
        Harness::send(h.request(Method::GET, "/nowhere", Some("alice")))
            .await
            .status,
        404
    );
    assert_eq!(
        Harness::send(h.request(Method::PUT, "/scripts", Some("alice")))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn an_enum_given_a_number_and_a_body_that_is_no_object_are_422_naming_the_field_and_a_null_body_is_no_body()
 {
    let h = Harness::start("badshape").await;
    let (id, _etag) = h.create_script("alice", "Shapes").await;
    let invitations = format!("/scripts/{id}/invitations");
    assert_problem(
        &h.post(
            &invitations,
            "alice",
            json!({ "email": "b@example.org", "role": 5 }),
        )
        .await,
        422,
        Some("role"),
    );
    for body in [json!(["Shapes"]), json!("Shapes"), json!(7)] {
        assert_problem(&h.post("/scripts", "alice", body).await, 422, Some("body"));
    }
    assert_eq!(
        h.get("/scripts", "alice").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "nothing more was written"
    );
    // `null` is the absent body of a DELETE, as an empty one is.
    let deleted = Harness::send(
        h.request(Method::DELETE, &format!("/scripts/{id}"), Some("alice"))
            .header("content-type", "application/json")
            .body("null".to_owned()),
    )
    .await;
    assert_eq!(deleted.status, 204, "{:?}", deleted.body);
}

#[tokio::test]
async fn a_crafted_cursor_is_400_and_a_failing_dependency_a_generic_503() {
    use base64::Engine;
    let h = Harness::start("bad-cursor").await;
    // Decodes, names the right partition, but is no key this query could have returned.
    let crafted = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::json!({ "gsi1pk": fountain_store::keys::aggregate("x") }).to_string());
    let reply = h
        .get(
            &format!("/events?aggregateId=x&cursor={crafted}"),
            fountain_e2e::ADMIN,
        )
        .await;
    assert_eq!(reply.status, 400, "{:?}", reply.body);

    let mut options = fountain_local::StackOptions::for_test("bad-dependency");
    options
        .env_overrides
        .insert("TABLE_NAME".to_owned(), "no-such-table".to_owned());
    let broken = Harness::start_with(options).await;
    let login = Harness::send(
        broken
            .request(reqwest::Method::POST, "/auth/login", None)
            .json(&serde_json::json!({ "email": "a@example.org", "password": "a long and fine passphrase" })),
    )
    .await;
    assert_eq!(login.status, 503, "{:?}", login.body);
    let detail = login.body["detail"].as_str().unwrap();
    for leak in ["ResourceNotFound", "table", "no-such-table", "Exception"] {
        assert!(!detail.contains(leak), "{detail}");
    }
    assert!(login.header("retry-after").is_some());
}
