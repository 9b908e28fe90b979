//! `DELETE /me` (decision 50): with the password, the account stops signing in at once, and
//! the consumers of UserDeleted remove the rest: the scripts it owned (for every member), its
//! memberships, sessions, jobs, files, notifications and tokens, and its email address from
//! stored events. Checked by scanning both tables and the bucket afterwards.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{Account, Harness, PASSWORD, Reply};
use fountain_generation::outputs::Outputs;
use fountain_store::keys;
use reqwest::Method;
use serde_json::{Value, json};

const SCREENPLAY: &str = "Title: Last Light

INT. KITCHEN - NIGHT

ALMA
Leave the light on.
";

async fn delete_me(h: &Harness, account: &Account, password: &str) -> Reply {
    h.call(
        account,
        Method::DELETE,
        "/me",
        Some(json!({ "password": password })),
    )
    .await
}

/// A script owned by `account` made from [`SCREENPLAY`].
async fn import(h: &Harness, account: &Account) -> String {
    let reply = Harness::send(
        h.http
            .post(h.url("/scripts/import"))
            .bearer_auth(&account.token)
            .header("content-type", "text/plain; charset=utf-8")
            .body(SCREENPLAY),
    )
    .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply.body["scriptId"].as_str().unwrap().to_owned()
}

/// A generation job of `account` on `script_id`, run to its end (files, a notification).
async fn generate(h: &Harness, account: &Account, script_id: &str, session_id: &str) -> String {
    let accepted = h
        .call(
            account,
            Method::POST,
            &format!("/scripts/{script_id}/generations"),
            Some(json!({ "sessionId": session_id })),
        )
        .await;
    assert_eq!(accepted.status, 202, "{:?}", accepted.body);
    let job_id = accepted.body["jobId"].as_str().unwrap().to_owned();
    Harness::eventually(120, "the job to succeed", || async {
        let job = h
            .call(
                account,
                Method::GET,
                &format!("/generations/{job_id}"),
                None,
            )
            .await;
        (job.body["status"] == "succeeded").then_some(())
    })
    .await;
    job_id
}

/// Every item of a table, as text (attribute values and all).
async fn scan(h: &Harness, logical_id: &str) -> Vec<(Value, String)> {
    let client = aws_sdk_dynamodb::Client::new(&h.stack.sdk);
    let table = h.stack.table_name(logical_id).unwrap();
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = client
            .scan()
            .table_name(table)
            .set_exclusive_start_key(start)
            .consistent_read(true)
            .send()
            .await
            .unwrap();
        for item in page.items.unwrap_or_default() {
            let key = json!({
                "pk": item.get("pk").and_then(|v| v.as_s().ok()),
                "sk": item.get("sk").and_then(|v| v.as_s().ok()),
            });
            items.push((key, format!("{item:?}")));
        }
        match page.last_evaluated_key {
            Some(key) => start = Some(key),
            None => return items,
        }
    }
}

async fn files_of(h: &Harness, user_id: &str) -> Vec<String> {
    let bucket = h.stack.bucket_name("GenerationBucket").unwrap().to_owned();
    let outputs = Outputs::new(&h.stack.sdk, bucket.clone());
    outputs
        .client
        .list_objects_v2()
        .bucket(bucket)
        .prefix(Outputs::owner_prefix(user_id))
        .send()
        .await
        .unwrap()
        .contents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.key)
        .collect()
}

#[tokio::test]
async fn deleting_an_account_leaves_nothing_of_it_behind() {
    let h = Harness::start("delete-me").await;
    let alma = h.verified_account("alma@example.org").await;
    let ben = h.verified_account("ben@example.org").await;

    // Alma owns a script Ben co-writes, and co-writes one Ben owns.
    let almas_script = import(&h, &alma).await;
    let bens_script = import(&h, &ben).await;
    h.join(&alma, &ben, &almas_script, "editor").await;
    h.join(&ben, &alma, &bens_script, "editor").await;
    // A working session with context, a finished job (files, a notification), a second
    // sign-in (another refresh family) and a pending password reset.
    let session = h
        .call(
            &alma,
            Method::POST,
            "/sessions",
            Some(json!({ "scriptId": almas_script })),
        )
        .await;
    let session_id = session.body["sessionId"].as_str().unwrap().to_owned();
    let context = h
        .call(
            &alma,
            Method::POST,
            &format!("/sessions/{session_id}/context"),
            Some(json!({ "key": "tone", "value": "quiet" })),
        )
        .await;
    assert_eq!(context.status, 201, "{:?}", context.body);
    generate(&h, &alma, &almas_script, &session_id).await;
    assert!(!files_of(&h, &alma.user_id).await.is_empty());
    let second = h.tokens(&alma.email).await;
    h.age_last_email(&alma.user_id).await;
    let reset = h
        .post_public("/auth/forgot-password", json!({ "email": alma.email }))
        .await;
    assert_eq!(reset.status, 202);
    h.email(&alma.email, "Reset your password", 1).await;

    // A token alone cannot delete the account: the password is asked, and nothing changes.
    let wrong = delete_me(&h, &alma, "not the password at all").await;
    assert_eq!(wrong.status, 403, "{:?}", wrong.body);
    assert_eq!(
        wrong.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(h.call(&alma, Method::GET, "/me", None).await.status, 200);
    let missing = h.call(&alma, Method::DELETE, "/me", None).await;
    assert_eq!(missing.status, 415, "{:?}", missing.body);

    let deleted = delete_me(&h, &alma, PASSWORD).await;
    assert_eq!(deleted.status, 202, "{:?}", deleted.body);
    assert_eq!(deleted.body["userId"], alma.user_id.as_str());

    // At once: every token is refused and the password signs in no more.
    assert_eq!(h.call(&alma, Method::GET, "/me", None).await.status, 401);
    let login = h
        .post_public(
            "/auth/login",
            json!({ "email": alma.email, "password": PASSWORD }),
        )
        .await;
    assert_eq!(login.status, 401, "{:?}", login.body);
    let refresh = h
        .post_public(
            "/auth/refresh",
            json!({ "refreshToken": second["refreshToken"] }),
        )
        .await;
    assert_eq!(refresh.status, 401, "{:?}", refresh.body);
    h.wait_for_events(&format!("aggregateId={}", alma.user_id), &["UserDeleted"])
        .await;

    // The script Alma owned is gone for its co-writer too; Ben's script stays, without her.
    Harness::eventually(30, "Alma's script to be deleted", || async {
        let reply = h
            .call(&ben, Method::GET, &format!("/scripts/{almas_script}"), None)
            .await;
        (reply.status == 404).then_some(())
    })
    .await;
    let members = h
        .call(
            &ben,
            Method::GET,
            &format!("/scripts/{bens_script}/members"),
            None,
        )
        .await;
    assert_eq!(members.status, 200, "{:?}", members.body);
    let member_ids: Vec<&str> = members.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["userId"].as_str().unwrap())
        .collect();
    assert_eq!(member_ids, [ben.user_id.as_str()]);

    // Nothing of Alma is left: in the table only the revocation bound (until it expires) and
    // the outbox's copies of her events (ids only, expiring); no item anywhere holds her
    // address; no file of hers is in the bucket.
    let mut leftovers = Vec::new();
    for _ in 0..300 {
        leftovers = scan(&h, "AppTable")
            .await
            .into_iter()
            .filter(|(key, text)| {
                let outbox = key["pk"]
                    .as_str()
                    .is_some_and(|pk| pk.starts_with(keys::OUTBOX));
                text.contains(&alma.email) || (text.contains(&alma.user_id) && !outbox)
            })
            .collect::<Vec<_>>();
        if leftovers.len() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let keys: Vec<&Value> = leftovers.iter().map(|(key, _)| key).collect();
    assert_eq!(leftovers.len(), 1, "left of the account: {keys:?}");
    let (bound, text) = &leftovers[0];
    assert_eq!(
        bound,
        &json!({ "pk": keys::credential(&alma.user_id), "sk": keys::REVOCATION_SK })
    );
    assert!(text.contains("expiresAt"), "{text}");
    Harness::eventually(60, "the address to leave the event store", || async {
        let holding: Vec<Value> = scan(&h, "EventStoreTable")
            .await
            .into_iter()
            .filter(|(_, text)| text.contains(&alma.email))
            .map(|(key, _)| key)
            .collect();
        holding.is_empty().then_some(())
    })
    .await;
    let events = h
        .wait_for_events(
            &format!("aggregateId={}", alma.user_id),
            &["UserRegistered", "UserDeleted"],
        )
        .await;
    let registered = events
        .iter()
        .find(|e| e["type"] == "UserRegistered")
        .unwrap();
    assert_eq!(registered["data"]["email"], "", "{registered}");
    Harness::eventually(30, "the account's files to be deleted", || async {
        files_of(&h, &alma.user_id).await.is_empty().then_some(())
    })
    .await;

    // The address is free again: it registers as a new account.
    let again = h.account(&alma.email).await;
    assert_ne!(again.user_id, alma.user_id);
}

#[tokio::test]
async fn deleting_an_account_needs_a_valid_body_and_a_live_token() {
    let h = Harness::start("delete-me-input").await;
    let cleo = h.account("cleo@example.org").await;
    let not_json = Harness::send(
        h.http
            .delete(h.url("/me"))
            .bearer_auth(&cleo.token)
            .header("content-type", "application/json")
            .body("{\"password\":"),
    )
    .await;
    assert_eq!(not_json.status, 400, "{:?}", not_json.body);
    let extra = delete_me_with(&h, &cleo, json!({ "password": PASSWORD, "force": true })).await;
    assert_eq!(extra.status, 422, "{:?}", extra.body);
    assert_eq!(
        extra.body["errors"][0]["field"], "force",
        "{:?}",
        extra.body
    );
    let blank = delete_me_with(&h, &cleo, json!({ "password": " " })).await;
    assert_eq!(blank.status, 422, "{:?}", blank.body);
    let anonymous = Harness::send(
        h.http
            .delete(h.url("/me"))
            .json(&json!({ "password": PASSWORD })),
    )
    .await;
    assert_eq!(anonymous.status, 401);
    // None of it touched the account.
    assert_eq!(h.call(&cleo, Method::GET, "/me", None).await.status, 200);
    // Deleted once, the same token cannot delete it again.
    assert_eq!(
        delete_me_with(&h, &cleo, json!({ "password": PASSWORD }))
            .await
            .status,
        202
    );
    assert_eq!(
        delete_me_with(&h, &cleo, json!({ "password": PASSWORD }))
            .await
            .status,
        401
    );
}

async fn delete_me_with(h: &Harness, account: &Account, body: Value) -> Reply {
    h.call(account, Method::DELETE, "/me", Some(body)).await
}
