//! `fountain watch` against a stand-in for the WebSocket API, speaking the protocol of
//! docs/cli.md (the real server is tested with the stack): the token goes in the query, the
//! client subscribes, prints the subscription, a change and a presence, reconnects when the
//! connection closes, and ends with the problem of an `error` message for its script.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// tungstenite's handshake callback returns its own (large) error response type.
#![allow(clippy::result_large_err)]

use std::process::Stdio;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

/// Accepts one connection: the request's URI, and the first message it sent.
async fn accept(
    listener: &TcpListener,
) -> (
    String,
    Value,
    tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
) {
    let (stream, _) = listener.accept().await.unwrap();
    let (uri_sender, mut uri) = mpsc::unbounded_channel();
    let mut socket = tokio_tungstenite::accept_hdr_async(
        stream,
        move |request: &Request, response: Response| {
            let _ = uri_sender.send(request.uri().to_string());
            Ok(response)
        },
    )
    .await
    .unwrap();
    let first = loop {
        match socket.next().await.unwrap().unwrap() {
            Message::Text(text) => break serde_json::from_str(text.as_str()).unwrap(),
            _ => continue,
        }
    };
    (uri.recv().await.unwrap(), first, socket)
}

async fn send(
    socket: &mut tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
    message: Value,
) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

#[tokio::test]
async fn watch_follows_the_protocol_reconnects_and_ends_on_an_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let live = format!("ws://{}/ws", listener.local_addr().unwrap());
    let api = "http://127.0.0.1:9";

    let config = std::env::temp_dir().join(format!("fountain-cli-watch-{}", std::process::id()));
    std::fs::create_dir_all(&config).unwrap();
    let expires = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
    std::fs::write(
        config.join("credentials.json"),
        json!({ "stacks": { api: {
            "accessToken": "the.access+token", "refreshToken": "r", "expiresAt": expires
        } } })
        .to_string(),
    )
    .unwrap();

    let server =
        tokio::spawn(async move {
            let mut uris = Vec::new();
            // The first connection: subscribed, a change, a presence, then the server closes.
            let (uri, first, mut socket) = accept(&listener).await;
            uris.push(uri);
            assert_eq!(first, json!({ "action": "subscribe", "scriptId": "s1" }));
            send(
                &mut socket,
                json!({ "type": "subscribed", "scriptId": "s1", "viewers": [{ "userId": "u2" }] }),
            )
            .await;
            send(&mut socket, json!({
            "type": "change", "scriptId": "s1", "event": "ElementAdded",
            "ids": { "elementId": "e1", "sectionId": "x1" }, "revision": 3,
            "correlationId": "c1", "actor": "u2", "yours": false, "at": "2026-12-07T10:00:00Z"
        }))
        .await;
            send(&mut socket, json!({ "type": "typing", "scriptId": "s1" })).await;
            send(
                &mut socket,
                json!({ "type": "presence", "scriptId": "s1", "userId": "u3", "state": "joined" }),
            )
            .await;
            socket.close(None).await.unwrap();
            // The client comes back and subscribes again; its access is gone.
            let (uri, first, mut socket) = accept(&listener).await;
            uris.push(uri);
            assert_eq!(first["action"], "subscribe");
            send(
                &mut socket,
                json!({
                    "type": "error", "status": 403, "title": "Forbidden",
                    "detail": "You may not read this script.", "scriptId": "s1"
                }),
            )
            .await;
            // Until the client closes.
            while let Some(Ok(_)) = socket.next().await {}
            uris
        });

    let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_fountain"))
        .args(["watch", "s1", "--live", &live, "--api", api])
        .env("FOUNTAIN_CONFIG_DIR", &config)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("watch ended")
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let _ = std::fs::remove_dir_all(&config);

    assert_eq!(
        output.status.code(),
        Some(1),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(
        stderr.contains("error: Forbidden: You may not read this script."),
        "{stderr}"
    );
    assert!(stderr.contains("connection lost"), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].ends_with("watching s1; viewing now: u2"),
        "{stdout}"
    );
    assert!(
        lines[1].ends_with("  u2  ElementAdded  element e1, section x1  (revision 3)"),
        "{stdout}"
    );
    assert!(lines[2].ends_with("  u3  joined"), "{stdout}");

    let uris = server.await.unwrap();
    assert_eq!(uris.len(), 2);
    for uri in uris {
        assert_eq!(uri, "/ws?token=the.access%2Btoken");
    }
}
