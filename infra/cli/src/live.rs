//! The WebSocket API (live updates) as the client sees it: connect with the access token as
//! the `token` query parameter, then JSON text frames both ways (docs/cli.md, "Live
//! updates").

use futures::{SinkExt, StreamExt};
use reqwest::Url;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// What the client sends.
#[derive(Debug, Serialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum ClientMessage {
    Subscribe {
        #[serde(rename = "scriptId")]
        script_id: String,
    },
    Unsubscribe {
        #[serde(rename = "scriptId")]
        script_id: String,
    },
    Ping,
}

/// What the server sends (by `type`); anything else is [`ServerMessage::Other`], so that a
/// newer server does not break an older client.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ServerMessage {
    Subscribed {
        #[serde(rename = "scriptId")]
        script_id: String,
        #[serde(default)]
        viewers: Vec<Viewer>,
    },
    Change(Change),
    Presence {
        #[serde(rename = "scriptId")]
        script_id: String,
        #[serde(rename = "userId")]
        user_id: String,
        state: String,
    },
    Unsubscribed {
        #[serde(rename = "scriptId")]
        script_id: String,
        #[serde(default)]
        reason: Option<String>,
    },
    Error {
        #[serde(default)]
        status: u16,
        #[serde(default)]
        title: String,
        #[serde(default)]
        detail: String,
        #[serde(rename = "scriptId", default)]
        script_id: Option<String>,
    },
    Pong,
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Viewer {
    #[serde(rename = "userId")]
    pub user_id: String,
}

/// A change to a watched script: enough to patch a view or know to re-read.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub script_id: String,
    pub event: String,
    #[serde(default)]
    pub ids: serde_json::Map<String, Value>,
    #[serde(default)]
    pub revision: Option<u64>,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub yours: bool,
    #[serde(default)]
    pub at: Option<String>,
}

/// Why a connection could not be opened.
#[derive(Debug)]
pub enum ConnectError {
    /// The server answered the handshake with an HTTP error (401 for a bad token).
    Refused { status: u16, body: String },
    /// The URL is not a WebSocket URL.
    BadUrl(String),
    /// No connection (refused, DNS, TLS, a dropped handshake).
    Unreachable(String),
}

/// One open connection.
pub struct Connection {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// What arrived on a connection.
pub enum Received {
    /// A message, parsed, with its JSON as sent.
    Message(ServerMessage, Value),
    /// The connection ended (the server closed it, or it dropped), with why.
    Closed(String),
}

/// The URL with the access token as its `token` query parameter (browsers cannot set an
/// Authorization header on a WebSocket, so the API takes it here).
pub fn url_with_token(live: &str, token: &str) -> Result<Url, ConnectError> {
    let mut url = Url::parse(live).map_err(|e| ConnectError::BadUrl(format!("{live}: {e}")))?;
    if !matches!(url.scheme(), "ws" | "wss") {
        return Err(ConnectError::BadUrl(format!(
            "{live} is not a ws:// or wss:// URL"
        )));
    }
    url.query_pairs_mut().append_pair("token", token);
    Ok(url)
}

pub async fn connect(live: &str, token: &str) -> Result<Connection, ConnectError> {
    let url = url_with_token(live, token)?;
    match tokio_tungstenite::connect_async(url.as_str()).await {
        Ok((stream, _)) => Ok(Connection { stream }),
        Err(tungstenite::Error::Http(response)) => Err(ConnectError::Refused {
            status: response.status().as_u16(),
            body: response
                .body()
                .as_ref()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default(),
        }),
        Err(other) => Err(ConnectError::Unreachable(crate::error::causes(&other))),
    }
}

impl Connection {
    pub async fn send(&mut self, message: &ClientMessage) -> Result<(), String> {
        let text = serde_json::to_string(message).map_err(|e| e.to_string())?;
        self.stream
            .send(Message::Text(text.into()))
            .await
            .map_err(|e| crate::error::causes(&e))
    }

    /// The next message; pings are answered by tungstenite itself, and frames that are not
    /// JSON text are skipped.
    pub async fn receive(&mut self) -> Received {
        loop {
            match self.stream.next().await {
                None => return Received::Closed("the connection ended".into()),
                Some(Err(e)) => return Received::Closed(crate::error::causes(&e)),
                Some(Ok(Message::Close(frame))) => {
                    return Received::Closed(match frame {
                        Some(frame) if !frame.reason.is_empty() => {
                            format!("the server closed it: {}", frame.reason)
                        }
                        Some(frame) => format!("the server closed it (code {})", frame.code),
                        None => "the server closed it".into(),
                    });
                }
                Some(Ok(Message::Text(text))) => {
                    let Ok(raw) = serde_json::from_str::<Value>(text.as_str()) else {
                        continue;
                    };
                    match serde_json::from_value::<ServerMessage>(raw.clone()) {
                        Ok(message) => return Received::Message(message, raw),
                        Err(_) => return Received::Message(ServerMessage::Other, raw),
                    }
                }
                Some(Ok(_)) => {}
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_messages_are_as_the_protocol_says() {
        let subscribe = ClientMessage::Subscribe {
            script_id: "s1".into(),
        };
        assert_eq!(
            serde_json::to_value(&subscribe).ok(),
            Some(serde_json::json!({ "action": "subscribe", "scriptId": "s1" }))
        );
        assert_eq!(
            serde_json::to_value(&ClientMessage::Ping).ok(),
            Some(serde_json::json!({ "action": "ping" }))
        );
    }

    #[test]
    fn server_messages_parse_and_unknown_ones_pass() {
        let change: ServerMessage = serde_json::from_value(serde_json::json!({
            "type": "change", "scriptId": "s1", "event": "ElementAdded",
            "ids": { "elementId": "e1", "sectionId": "x1" }, "revision": 3,
            "correlationId": "c", "actor": "u2", "yours": false, "at": "2026-01-01T10:00:00Z"
        }))
        .unwrap_or(ServerMessage::Other);
        assert!(
            matches!(change, ServerMessage::Change(c) if c.revision == Some(3) && c.event == "ElementAdded")
        );
        let presence: ServerMessage = serde_json::from_value(serde_json::json!({
            "type": "presence", "scriptId": "s1", "userId": "u2", "state": "joined"
        }))
        .unwrap_or(ServerMessage::Other);
        assert!(matches!(presence, ServerMessage::Presence { state, .. } if state == "joined"));
        let newer: Result<ServerMessage, _> =
            serde_json::from_value(serde_json::json!({ "type": "typing", "scriptId": "s1" }));
        assert!(matches!(newer, Ok(ServerMessage::Other)));
    }

    #[test]
    fn the_token_goes_in_the_query() {
        let url = url_with_token("ws://127.0.0.1:3000/ws", "a.b+c").ok();
        assert_eq!(
            url.map(|u| u.to_string()).as_deref(),
            Some("ws://127.0.0.1:3000/ws?token=a.b%2Bc")
        );
        assert!(url_with_token("http://x/ws", "t").is_err());
    }
}
