//! Live updates over the WebSocket API with a real WebSocket client: co-writers hear each
//! other's changes and presence, strangers and bad tokens are refused, ended access ends
//! the stream, vanished clients are cleaned up, and one edit reaches 200 listeners.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use fountain_e2e::bench::{ms, percentile};
use fountain_e2e::{Account, Harness};
use fountain_store::{Table, keys};
use futures::{SinkExt, StreamExt};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long a test waits for a message before it fails (no timing is asserted below it).
const PATIENCE: Duration = Duration::from_secs(20);

async fn open(h: &Harness, token: &str) -> Socket {
    let url = format!("ws://{}/ws?token={token}", h.stack.address);
    let (socket, response) = connect_async(url).await.unwrap();
    assert_eq!(response.status(), 101);
    socket
}

async fn say(socket: &mut Socket, message: Value) {
    socket.send(Frame::text(message.to_string())).await.unwrap();
}

/// The next JSON message, or `None` when the connection closed.
async fn next(socket: &mut Socket) -> Option<Value> {
    loop {
        let frame = tokio::time::timeout(PATIENCE, socket.next())
            .await
            .expect("a message in time");
        match frame {
            Some(Ok(Frame::Text(text))) => return Some(serde_json::from_str(&text).unwrap()),
            Some(Ok(Frame::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(_)) => {}
        }
    }
}

/// The next message of type `kind`, skipping others.
async fn next_of(socket: &mut Socket, kind: &str) -> Value {
    loop {
        let message = next(socket)
            .await
            .unwrap_or_else(|| panic!("closed before a {kind}"));
        if message["type"] == kind {
            return message;
        }
    }
}

async fn subscribe(socket: &mut Socket, script_id: &str) -> Value {
    say(
        socket,
        json!({ "action": "subscribe", "scriptId": script_id }),
    )
    .await;
    next(socket).await.unwrap()
}

/// Pings and returns every message that came before the pong: what the connection heard.
async fn heard(socket: &mut Socket) -> Vec<Value> {
    say(socket, json!({ "action": "ping" })).await;
    let mut before = Vec::new();
    loop {
        let message = next(socket).await.unwrap();
        if message["type"] == "pong" {
            return before;
        }
        before.push(message);
    }
}

struct Room {
    alice: Account,
    bob: Account,
    script: String,
    section: String,
}

impl Room {
    async fn new(h: &Harness) -> Self {
        let alice = h.verified_account("alice@example.org").await;
        let bob = h.verified_account("bob@example.org").await;
        let script = h
            .call(
                &alice,
                Method::POST,
                "/scripts",
                Some(json!({ "title": "Live" })),
            )
            .await;
        assert_eq!(script.status, 201, "{:?}", script.body);
        let script = script.body["scriptId"].as_str().unwrap().to_owned();
        h.join(&alice, &bob, &script, "editor").await;
        let section = h
            .call(
                &alice,
                Method::POST,
                &format!("/scripts/{script}/sections"),
                Some(json!({ "level": "scene", "title": "INT. ROOM - DAY" })),
            )
            .await;
        assert_eq!(section.status, 201, "{:?}", section.body);
        let section = section.body["sectionId"].as_str().unwrap().to_owned();
        Self {
            alice,
            bob,
            script,
            section,
        }
    }

    async fn edit(&self, h: &Harness, who: &Account, text: &str) -> String {
        let added = h
            .call(
                who,
                Method::POST,
                &format!(
                    "/scripts/{}/sections/{}/elements",
                    self.script, self.section
                ),
                Some(json!({ "kind": "action", "text": text })),
            )
            .await;
        assert_eq!(added.status, 201, "{:?}", added.body);
        added.body["elementId"].as_str().unwrap().to_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn co_writers_hear_each_others_edits_and_presence() {
    let h = Harness::start("live_edits").await;
    let room = Room::new(&h).await;
    let mut alice = open(&h, &room.alice.token).await;
    let mut bob = open(&h, &room.bob.token).await;

    let subscribed = subscribe(&mut alice, &room.script).await;
    assert_eq!(
        subscribed,
        json!({ "type": "subscribed", "scriptId": room.script, "viewers": [] })
    );
    let subscribed = subscribe(&mut bob, &room.script).await;
    assert_eq!(
        subscribed["viewers"],
        json!([{ "userId": room.alice.user_id }])
    );
    let joined = next_of(&mut alice, "presence").await;
    assert_eq!(
        joined,
        json!({ "type": "presence", "scriptId": room.script, "userId": room.bob.user_id, "state": "joined" })
    );

    // Each of bob's edits reaches alice, told it was not hers; bob is told it was his.
    let mut latencies = Vec::new();
    for i in 0..100 {
        let started = Instant::now();
        let element = room.edit(&h, &room.bob, &format!("line {i}")).await;
        let change = next_of(&mut alice, "change").await;
        latencies.push(started.elapsed());
        assert_eq!(change["event"], "ElementAdded");
        assert_eq!(change["ids"]["elementId"], element.as_str());
        assert_eq!(change["ids"]["sectionId"], room.section.as_str());
        assert_eq!(change["actor"], room.bob.user_id.as_str());
        assert_eq!(change["yours"], false);
        let own = next_of(&mut bob, "change").await;
        assert_eq!(
            (own["ids"]["elementId"].clone(), own["yours"].clone()),
            (json!(element), json!(true))
        );
    }
    latencies.sort();
    println!(
        "edit to co-writer's screen over 100 edits (HTTP 201 + outbox + bus + queue + push): p50 {}, p99 {}",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
    );

    // An unknown action and a subscribe without a script are error messages, not closes.
    say(&mut alice, json!({ "action": "shout" })).await;
    assert_eq!(next_of(&mut alice, "error").await["status"], 400);
    say(&mut alice, json!({ "action": "subscribe" })).await;
    assert_eq!(next_of(&mut alice, "error").await["status"], 400);

    // Bob leaves: alice sees him go, and bob hears nothing more.
    say(
        &mut bob,
        json!({ "action": "unsubscribe", "scriptId": room.script }),
    )
    .await;
    assert_eq!(
        next_of(&mut bob, "unsubscribed").await["reason"],
        "you asked"
    );
    let left = next_of(&mut alice, "presence").await;
    assert_eq!(
        (left["userId"].clone(), left["state"].clone()),
        (json!(room.bob.user_id), json!("left"))
    );
    room.edit(&h, &room.alice, "after bob left").await;
    next_of(&mut alice, "change").await;
    assert!(heard(&mut bob).await.iter().all(|m| m["type"] != "change"));
}

#[tokio::test]
async fn strangers_and_bad_tokens_get_no_data() {
    let h = Harness::start("live_strangers").await;
    let room = Room::new(&h).await;
    for url in [
        format!("ws://{}/ws", h.stack.address),
        format!("ws://{}/ws?token=not-a-token", h.stack.address),
    ] {
        match connect_async(url).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 401)
            }
            other => panic!(
                "the handshake should fail with 401: {:?}",
                other.map(|_| ())
            ),
        }
    }
    let carol = h.verified_account("carol@example.org").await;
    let mut stranger = open(&h, &carol.token).await;
    let refused = subscribe(&mut stranger, &room.script).await;
    assert_eq!(
        (refused["type"].clone(), refused["status"].clone()),
        (json!("error"), json!(404))
    );
    let mut alice = open(&h, &room.alice.token).await;
    subscribe(&mut alice, &room.script).await;
    room.edit(&h, &room.alice, "private").await;
    next_of(&mut alice, "change").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        heard(&mut stranger).await,
        Vec::<Value>::new(),
        "a stranger hears nothing"
    );
}

#[tokio::test]
async fn removed_members_and_logged_out_users_stop_hearing() {
    let h = Harness::start("live_access").await;
    let room = Room::new(&h).await;
    let mut alice = open(&h, &room.alice.token).await;
    let mut bob = open(&h, &room.bob.token).await;
    subscribe(&mut alice, &room.script).await;
    subscribe(&mut bob, &room.script).await;
    next_of(&mut alice, "presence").await;

    let removed = h
        .call(
            &room.alice,
            Method::DELETE,
            &format!("/scripts/{}/members/{}", room.script, room.bob.user_id),
            None,
        )
        .await;
    assert_eq!(removed.status, 204, "{:?}", removed.body);
    let ended = next_of(&mut bob, "unsubscribed").await;
    assert_eq!(ended["reason"], "your access to the script was removed");
    let left = next_of(&mut alice, "presence").await;
    assert_eq!(
        (left["userId"].clone(), left["state"].clone()),
        (json!(room.bob.user_id), json!("left"))
    );
    room.edit(&h, &room.alice, "bob must not see this").await;
    next_of(&mut alice, "change").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(heard(&mut bob).await.iter().all(|m| m["type"] != "change"));

    // A logout closes every connection of the user, and the token opens none again.
    let out = h
        .call(&room.alice, Method::POST, "/auth/logout", Some(json!({})))
        .await;
    assert_eq!(out.status, 204, "{:?}", out.body);
    assert_eq!(
        next_of(&mut alice, "unsubscribed").await["reason"],
        "you logged out"
    );
    assert!(next(&mut alice).await.is_none(), "the connection is closed");
    match connect_async(format!(
        "ws://{}/ws?token={}",
        h.stack.address, room.alice.token
    ))
    .await
    {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 401)
        }
        other => panic!("a revoked token must not connect: {:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn vanished_clients_are_cleaned_up() {
    let h = Harness::start("live_vanished").await;
    let room = Room::new(&h).await;
    let table = Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    );
    let listeners = || async {
        table
            .query_all(table.query_prefix(&keys::listeners(&room.script), keys::LISTENER))
            .await
            .unwrap()
            .len()
    };
    // A client that drops its TCP connection without a close frame: `$disconnect` follows.
    let mut gone = open(&h, &room.bob.token).await;
    subscribe(&mut gone, &room.script).await;
    assert_eq!(listeners().await, 1);
    drop(gone);
    Harness::eventually(10, "the vanished listener removed", || async {
        (listeners().await == 0).then_some(())
    })
    .await;

    // A listener whose `$disconnect` never came: the next push answers 410 and it goes.
    table
        .client
        .put_item()
        .table_name(&table.name)
        .item("pk", fountain_store::s(keys::listeners(&room.script)))
        .item("sk", fountain_store::s(keys::listener("lost-connection=")))
        .item("connectionId", fountain_store::s("lost-connection="))
        .item("userId", fountain_store::s(&room.bob.user_id))
        .item(
            "expiresAt",
            fountain_store::n(chrono::Utc::now().timestamp() + 3600),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(listeners().await, 1);
    room.edit(&h, &room.alice, "anyone there?").await;
    Harness::eventually(20, "the lost listener removed after a 410", || async {
        (listeners().await == 0).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_edit_reaches_two_hundred_listeners() {
    let h = Harness::start("live_fanout").await;
    let room = Room::new(&h).await;
    let mut sockets = Vec::new();
    for _ in 0..200 {
        let mut socket = open(&h, &room.bob.token).await;
        assert_eq!(
            subscribe(&mut socket, &room.script).await["type"],
            "subscribed"
        );
        sockets.push(socket);
    }
    // Let the presence messages of the later joiners settle before the edit.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    let element = room.edit(&h, &room.alice, "to everyone").await;
    let arrivals = futures::future::join_all(sockets.iter_mut().map(|socket| async {
        let change = next_of(socket, "change").await;
        assert_eq!(change["ids"]["elementId"], element.as_str());
        started.elapsed()
    }))
    .await;
    let first = arrivals.iter().min().unwrap();
    let last = arrivals.iter().max().unwrap();
    println!(
        "one edit to 200 listeners: first heard after {}, last after {} (fan-out {})",
        ms(*first),
        ms(*last),
        ms(*last - *first),
    );
    assert_eq!(arrivals.len(), 200);
}
