//! watch: a script's changes and who is viewing it, live over the WebSocket API; reconnects
//! with backoff when the connection drops, with a renewed token.

use std::time::{Duration, Instant};

use clap::Args;

use crate::client::Api;
use crate::error::{CliError, Problem};
use crate::live::{self, ClientMessage, ConnectError, Connection, Received, ServerMessage};
use crate::output::Output;

#[derive(Debug, Args)]
pub struct Watch {
    /// The script's id.
    script: String,
}

/// How often the client pings: well inside API Gateway's 10-minute idle timeout, and often
/// enough to notice a dead connection.
const PING: Duration = Duration::from_secs(30);
/// A connection silent for this long (not even a pong) is taken for dead.
const SILENCE: Duration = Duration::from_secs(75);
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// How one connection ended, when watching can go on.
enum Ended {
    Dropped(String),
    Stopped,
}

pub async fn watch(
    api: &mut Api,
    out: Output,
    live_url: &str,
    args: Watch,
) -> Result<(), CliError> {
    let mut backoff = FIRST_BACKOFF;
    let mut connected_before = false;
    let mut renewed = false;
    loop {
        let token = api.access_token().await?;
        let why = match live::connect(live_url, &token).await {
            Ok(connection) => {
                connected_before = true;
                renewed = false;
                match follow(connection, out, &args.script, &mut backoff).await? {
                    Ended::Stopped => return Ok(()),
                    Ended::Dropped(why) => why,
                }
            }
            Err(ConnectError::Refused { status: 401, body }) => {
                // The token was refused: renew the session once, then give up.
                if renewed {
                    return Err(CliError::Api(Problem::from_answer(401, &body)));
                }
                api.renew().await?;
                renewed = true;
                continue;
            }
            Err(ConnectError::Refused { status, body }) => {
                return Err(CliError::Api(Problem::from_answer(status, &body)));
            }
            Err(ConnectError::BadUrl(why)) => return Err(CliError::Usage(format!("--live {why}"))),
            Err(ConnectError::Unreachable(reason)) if !connected_before => {
                return Err(CliError::Unreachable {
                    url: live_url.to_owned(),
                    reason,
                });
            }
            Err(ConnectError::Unreachable(reason)) => reason,
        };
        out.note(&format!(
            "connection lost ({why}); reconnecting in {} s",
            backoff.as_secs()
        ));
        tokio::select! {
            () = tokio::time::sleep(backoff) => {}
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Subscribes on `connection` and prints what arrives until the connection ends, Ctrl-C, or
/// a message that ends watching (an error for the script, or its unsubscription).
async fn follow(
    mut connection: Connection,
    out: Output,
    script: &str,
    backoff: &mut Duration,
) -> Result<Ended, CliError> {
    let subscribe = ClientMessage::Subscribe {
        script_id: script.to_owned(),
    };
    if let Err(why) = connection.send(&subscribe).await {
        return Ok(Ended::Dropped(why));
    }
    let mut ping = tokio::time::interval(PING);
    ping.tick().await;
    let mut heard = Instant::now();
    loop {
        let received = tokio::select! {
            received = connection.receive() => received,
            _ = ping.tick() => {
                if heard.elapsed() > SILENCE {
                    return Ok(Ended::Dropped("no answer to pings".into()));
                }
                if let Err(why) = connection.send(&ClientMessage::Ping).await {
                    return Ok(Ended::Dropped(why));
                }
                continue;
            }
            _ = tokio::signal::ctrl_c() => {
                let _ = connection.send(&ClientMessage::Unsubscribe { script_id: script.to_owned() }).await;
                connection.close().await;
                return Ok(Ended::Stopped);
            }
        };
        heard = Instant::now();
        let (message, raw) = match received {
            Received::Closed(why) => return Ok(Ended::Dropped(why)),
            Received::Message(message, raw) => (message, raw),
        };
        if out.json && !matches!(message, ServerMessage::Pong) {
            out.json_line(&raw)?;
        }
        match message {
            ServerMessage::Subscribed { script_id, viewers } if script_id == script => {
                // A subscription that took: the next drop starts its backoff afresh.
                *backoff = FIRST_BACKOFF;
                if !out.json {
                    let others: Vec<String> = viewers.into_iter().map(|v| v.user_id).collect();
                    out.line(&format!(
                        "{}  watching {script_id}; viewing now: {}",
                        clock(None),
                        if others.is_empty() {
                            "-".to_owned()
                        } else {
                            others.join(", ")
                        }
                    ))?;
                }
            }
            ServerMessage::Change(change) if change.script_id == script && !out.json => {
                out.line(&change_line(&change))?;
            }
            ServerMessage::Presence {
                script_id,
                user_id,
                state,
            } if script_id == script && !out.json => {
                out.line(&format!("{}  {user_id}  {state}", clock(None)))?;
            }
            ServerMessage::Unsubscribed { script_id, reason } if script_id == script => {
                connection.close().await;
                return Err(CliError::Failed(format!(
                    "no longer watching {script}: {}",
                    reason.unwrap_or_else(|| "the server ended the subscription".into())
                )));
            }
            ServerMessage::Error {
                status,
                title,
                detail,
                script_id,
            } if script_id.as_deref().is_none_or(|id| id == script) => {
                connection.close().await;
                return Err(CliError::Api(Problem {
                    status,
                    title,
                    detail,
                    ..Problem::default()
                }));
            }
            _ => {}
        }
    }
}

/// `HH:MM:SS` of an RFC 3339 time in the local zone (now, without one).
fn clock(at: Option<&str>) -> String {
    let local = at
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map_or_else(chrono::Local::now, |t| t.with_timezone(&chrono::Local));
    local.format("%H:%M:%S").to_string()
}

/// One change as a line: time, who, what, which ids, the revision.
fn change_line(change: &live::Change) -> String {
    let who = match (&change.actor, change.yours) {
        (Some(actor), true) => format!("{actor} (you)"),
        (Some(actor), false) => actor.clone(),
        (None, true) => "you".to_owned(),
        (None, false) => "someone".to_owned(),
    };
    let ids: Vec<String> = change
        .ids
        .iter()
        .map(|(key, value)| {
            let name = key.strip_suffix("Id").unwrap_or(key);
            format!(
                "{name} {}",
                value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned)
            )
        })
        .collect();
    let mut line = format!("{}  {who}  {}", clock(change.at.as_deref()), change.event);
    if !ids.is_empty() {
        line.push_str(&format!("  {}", ids.join(", ")));
    }
    if let Some(revision) = change.revision {
        line.push_str(&format!("  (revision {revision})"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reads_as_one_line() {
        let change: Result<live::Change, _> = serde_json::from_value(serde_json::json!({
            "scriptId": "s1", "event": "ElementAdded",
            "ids": { "elementId": "e1", "sectionId": "x1" }, "revision": 3,
            "actor": "u2", "yours": false, "at": "2026-01-01T10:00:00Z"
        }));
        let line = change.map(|c| change_line(&c)).unwrap_or_default();
        assert!(
            line.ends_with("  u2  ElementAdded  element e1, section x1  (revision 3)"),
            "{line}"
        );
    }
}
