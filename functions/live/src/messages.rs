//! What travels over a live connection: the actions a client sends and the messages the
//! server pushes (docs/live.md). Every server message is one JSON text frame with a `type`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A client's message: `{"action": "subscribe", "scriptId": "..."}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Action {
    pub action: String,
    pub script_id: Option<String>,
}

/// Someone viewing a script.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct Viewer {
    pub user_id: String,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    Joined,
    Left,
}

/// A message the server pushes to a connection.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message {
    /// The subscription holds; `viewers` are the others viewing the script now.
    #[serde(rename_all = "camelCase")]
    Subscribed {
        script_id: String,
        viewers: Vec<Viewer>,
    },
    /// The connection no longer receives the script's changes, and why.
    #[serde(rename_all = "camelCase")]
    Unsubscribed {
        script_id: String,
        reason: String,
    },
    /// A change of a script the connection listens to: enough to patch a view, or to know
    /// to read again.
    #[serde(rename_all = "camelCase")]
    Change {
        script_id: String,
        event: String,
        ids: Map<String, Value>,
        revision: Option<u64>,
        correlation_id: String,
        actor: Option<String>,
        /// Made by the user of this connection (from any of their connections).
        yours: bool,
        at: DateTime<Utc>,
    },
    /// Someone began or stopped viewing a script.
    #[serde(rename_all = "camelCase")]
    Presence {
        script_id: String,
        user_id: String,
        state: Presence,
    },
    /// A refused action, as a problem (status, title, detail).
    #[serde(rename_all = "camelCase")]
    Error {
        status: u16,
        title: String,
        detail: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        script_id: Option<String>,
    },
    Pong,
}

impl Message {
    pub fn error(
        status: u16,
        title: &str,
        detail: impl Into<String>,
        script_id: Option<&str>,
    ) -> Self {
        Self::Error {
            status,
            title: title.to_owned(),
            detail: detail.into(),
            script_id: script_id.map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_are_tagged_camel_case_frames() {
        let presence = Message::Presence {
            script_id: "s".into(),
            user_id: "u".into(),
            state: Presence::Joined,
        };
        assert_eq!(
            serde_json::to_value(presence).unwrap(),
            json!({"type": "presence", "scriptId": "s", "userId": "u", "state": "joined"})
        );
        assert_eq!(
            serde_json::to_value(Message::Pong).unwrap(),
            json!({"type": "pong"})
        );
        let refused = Message::error(404, "Not Found", "no such script", Some("s"));
        assert_eq!(
            serde_json::to_value(refused).unwrap(),
            json!({"type": "error", "status": 404, "title": "Not Found", "detail": "no such script", "scriptId": "s"})
        );
    }

    #[test]
    fn unknown_fields_of_an_action_are_refused() {
        assert!(serde_json::from_str::<Action>(r#"{"action":"ping","x":1}"#).is_err());
        let subscribe: Action =
            serde_json::from_str(r#"{"action":"subscribe","scriptId":"01S"}"#).unwrap();
        assert_eq!(subscribe.script_id.as_deref(), Some("01S"));
    }
}
