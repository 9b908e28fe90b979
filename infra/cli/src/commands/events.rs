//! events tail: the stored events as they happen, from the live monitor
//! (`GET /admin/events/stream`, Server-Sent Events served as a long poll: each answer holds
//! the events since the last id, and the client asks again at once with Last-Event-ID).

use clap::{Args, Subcommand};
use serde_json::Value;

use crate::client::{Api, checked};
use crate::error::CliError;
use crate::output::{self, Output};

#[derive(Debug, Subcommand)]
pub enum Events {
    /// Print events as they are stored, oldest first, until Ctrl-C (administrators).
    Tail(Tail),
}

#[derive(Debug, Args)]
pub struct Tail {
    /// Only events of this type (repeat for more), e.g. ScriptCreated.
    #[arg(long = "type", value_name = "TYPE")]
    types: Vec<String>,
    /// Only the events of one request (its x-correlation-id).
    #[arg(long, value_name = "ID")]
    correlation_id: Option<String>,
    /// Only the events of one aggregate (a script's id, a user's, a job's...).
    #[arg(long, value_name = "ID")]
    aggregate: Option<String>,
    /// Only the events caused by one user.
    #[arg(long)]
    user: Option<String>,
    /// Stop after this many events.
    #[arg(long, value_name = "N")]
    count: Option<usize>,
}

pub async fn events(api: &mut Api, out: Output, command: Events) -> Result<(), CliError> {
    match command {
        Events::Tail(args) => tail(api, out, args).await,
    }
}

async fn tail(api: &mut Api, out: Output, args: Tail) -> Result<(), CliError> {
    let url = api.endpoint(&["admin", "events", "stream"])?;
    let mut query: Vec<(&str, String)> = Vec::new();
    if !args.types.is_empty() {
        query.push(("types", args.types.join(",")));
    }
    // The monitor reads camelCase names, as GET /events does.
    if let Some(id) = &args.correlation_id {
        query.push(("correlationId", id.clone()));
    }
    if let Some(id) = &args.aggregate {
        query.push(("aggregateId", id.clone()));
    }
    if let Some(user) = &args.user {
        query.push(("user", user.clone()));
    }
    if !out.json {
        out.note("Following events (Ctrl-C stops)...");
    }
    let mut last_id: Option<String> = None;
    let mut printed = 0;
    loop {
        let poll = api.send(|http| {
            let mut request = http.get(url.clone()).query(&query);
            if let Some(id) = &last_id {
                request = request.header("last-event-id", id);
            }
            Ok(request)
        });
        let response = tokio::select! {
            response = poll => response?,
            _ = tokio::signal::ctrl_c() => return Ok(()),
        };
        let base = api.base().to_owned();
        let body = checked(response)
            .await?
            .text()
            .await
            .map_err(|e| CliError::unreachable(&base, &e))?;
        for frame in frames(&body) {
            if let Some(id) = frame.id {
                last_id = Some(id);
            }
            if out.json {
                out.json_line(&frame.data)?;
            } else {
                out.line(&event_line(&frame.data))?;
            }
            printed += 1;
            if args.count.is_some_and(|count| printed >= count) {
                return Ok(());
            }
        }
    }
}

/// One Server-Sent Events frame of the monitor: `id`, `event` and `data` (the envelope).
struct Frame {
    id: Option<String>,
    data: Value,
}

/// The event frames of an answer (comments and `retry` lines carry no event).
fn frames(body: &str) -> Vec<Frame> {
    body.split("\n\n")
        .filter_map(|block| {
            let mut id = None;
            let mut data = String::new();
            for line in block.lines() {
                if let Some(value) = line.strip_prefix("id:") {
                    id = Some(value.trim_start().to_owned());
                } else if let Some(value) = line.strip_prefix("data:") {
                    if !data.is_empty() {
                        data.push('\n');
                    }
                    data.push_str(value.strip_prefix(' ').unwrap_or(value));
                }
            }
            let data = serde_json::from_str(&data).ok()?;
            Some(Frame { id, data })
        })
        .collect()
}

/// An event as one line: time, type, aggregate, actor, correlation id.
fn event_line(event: &Value) -> String {
    format!(
        "{}  {:<28} {} {}  by {}  correlation {}",
        output::time(event, "time"),
        output::text(event, "type"),
        output::text(event, "aggregateType"),
        output::text(event, "aggregateId"),
        output::text(event, "actor"),
        output::text(event, "correlationId"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_and_comments_skipped() {
        let body = "retry: 100\n\n: no events yet\n\nid: 2026-01-01T00:00:00.000Z#01A\nevent: ScriptCreated\ndata: {\"type\":\"ScriptCreated\",\"aggregateId\":\"s1\"}\n\n";
        let frames = frames(body);
        assert_eq!(frames.len(), 1);
        assert_eq!(
            frames[0].id.as_deref(),
            Some("2026-01-01T00:00:00.000Z#01A")
        );
        assert_eq!(frames[0].data["aggregateId"], "s1");
    }
}
