//! admin config, dead-letters and replay (administrators).

use clap::{Args, Subcommand};
use reqwest::Method;
use serde_json::{Value, json};

use crate::client::Api;
use crate::error::CliError;
use crate::output::{self, Output};

#[derive(Debug, Subcommand)]
pub enum Admin {
    /// Runtime settings (every function uses a new value within 5 seconds).
    #[command(subcommand)]
    Config(Config),
    /// The dead-letter queues: what failed, sent back or deleted.
    #[command(subcommand, name = "dead-letters")]
    DeadLetters(DeadLetters),
    /// Publish the stored events of a time range again (consumers deduplicate).
    Replay(Replay),
}

#[derive(Debug, Subcommand)]
pub enum Config {
    /// Every setting, or one.
    Get {
        /// A setting's key, e.g. MAX_REQUESTS_PER_MINUTE.
        key: Option<String>,
    },
    /// Change a setting.
    Set {
        key: String,
        /// A whole number within the setting's bounds.
        value: u64,
        /// Why, stored with the change.
        #[arg(long)]
        comment: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DeadLetters {
    /// Every dead-letter queue with its message count.
    List,
    /// Up to ten messages of a queue, left in it.
    Show { queue: String },
    /// Send messages back to the queue they failed in: one, or all (up to 100 per call).
    Redrive {
        queue: String,
        /// Only this message.
        #[arg(long)]
        message: Option<String>,
    },
    /// Delete one message for good.
    Delete { queue: String, message: String },
}

#[derive(Debug, Args)]
pub struct Replay {
    /// From this time (RFC 3339, inclusive; at most 7 days ago).
    #[arg(long)]
    from: String,
    /// To this time (RFC 3339, exclusive) [default: now].
    #[arg(long)]
    to: Option<String>,
    /// An event type to replay (repeat for more).
    #[arg(long = "type", value_name = "TYPE", required = true)]
    types: Vec<String>,
    /// Send to this queue only, instead of the bus.
    #[arg(long)]
    target_queue: Option<String>,
}

pub async fn admin(api: &mut Api, out: Output, command: Admin) -> Result<(), CliError> {
    match command {
        Admin::Config(command) => config(api, out, command).await,
        Admin::DeadLetters(command) => dead_letters(api, out, command).await,
        Admin::Replay(args) => replay(api, out, args).await,
    }
}

fn setting_row(setting: &Value) -> Vec<String> {
    ["key", "value", "defaultValue", "min", "max", "description"]
        .iter()
        .map(|k| output::text(setting, k))
        .collect()
}

const SETTING_HEADERS: [&str; 6] = ["key", "value", "default", "min", "max", "description"];

async fn config(api: &mut Api, out: Output, command: Config) -> Result<(), CliError> {
    let (answer, settings) = match command {
        Config::Get { key: None } => {
            let list = api.get_json(&["config"], &[]).await?;
            let items = output::items(&list);
            (list, items)
        }
        Config::Get { key: Some(key) } => {
            let setting = api.get_json(&["config", &key], &[]).await?;
            (setting.clone(), vec![setting])
        }
        Config::Set {
            key,
            value,
            comment,
        } => {
            let body = json!({ "value": value, "comment": comment });
            let setting = api
                .call_json(Method::PUT, &["config", &key], Some(&body))
                .await?;
            (setting.clone(), vec![setting])
        }
    };
    if out.json {
        return out.json(&answer);
    }
    out.table(&SETTING_HEADERS, settings.iter().map(setting_row).collect())
}

async fn dead_letters(api: &mut Api, out: Output, command: DeadLetters) -> Result<(), CliError> {
    match command {
        DeadLetters::List => {
            let list = api.get_json(&["admin", "dead-letters"], &[]).await?;
            if out.json {
                return out.json(&list);
            }
            let rows = output::items(&list)
                .iter()
                .map(|q| {
                    vec![
                        output::text(q, "queue"),
                        output::text(q, "sourceQueue"),
                        output::text(q, "messages"),
                        output::time(q, "oldestSentAt"),
                    ]
                })
                .collect();
            out.table(&["queue", "source queue", "messages", "oldest"], rows)
        }
        DeadLetters::Show { queue } => {
            let peek = api
                .get_json(&["admin", "dead-letters", &queue, "messages"], &[])
                .await?;
            if out.json {
                return out.json(&peek);
            }
            let items = output::items(&peek);
            if items.is_empty() {
                out.note(&format!("{queue} is empty."));
                return Ok(());
            }
            let rows = items
                .iter()
                .map(|m| {
                    let what = match m.get("eventType").and_then(Value::as_str) {
                        Some(event) => format!("{event} {}", output::text(m, "eventId")),
                        None => output::text(m, "body"),
                    };
                    vec![
                        output::text(m, "messageId"),
                        what,
                        output::text(m, "correlationId"),
                        output::text(m, "receiveCount"),
                        output::time(m, "sentAt"),
                    ]
                })
                .collect();
            out.table(
                &["message", "what", "correlation", "deliveries", "sent"],
                rows,
            )
        }
        DeadLetters::Redrive { queue, message } => {
            let body = json!({ "messageId": message });
            let moved = api
                .call_json(
                    Method::POST,
                    &["admin", "dead-letters", &queue, "redrive"],
                    Some(&body),
                )
                .await?;
            if out.json {
                return out.json(&moved);
            }
            out.record(vec![
                ("moved", output::text(&moved, "moved")),
                ("remaining", output::text(&moved, "remaining")),
            ])
        }
        DeadLetters::Delete { queue, message } => {
            api.call_json(
                Method::DELETE,
                &["admin", "dead-letters", &queue, "messages", &message],
                None,
            )
            .await?;
            if out.json {
                return out.json(&json!({ "queue": queue, "messageId": message, "deleted": true }));
            }
            out.note(&format!("Deleted {message} from {queue}."));
            Ok(())
        }
    }
}

async fn replay(api: &mut Api, out: Output, args: Replay) -> Result<(), CliError> {
    let to = args
        .to
        .unwrap_or_else(|| chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let body = json!({
        "from": args.from,
        "to": to,
        "types": args.types,
        "targetQueue": args.target_queue,
    });
    let replay = api
        .call_json(Method::POST, &["admin", "replays"], Some(&body))
        .await?;
    if out.json {
        return out.json(&replay);
    }
    out.record(vec![
        ("replay", output::text(&replay, "replayId")),
        ("published", output::text(&replay, "published")),
        ("target", output::text(&replay, "target")),
    ])
}
