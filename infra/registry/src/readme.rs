//! The README's tables of functions, generated from the registry: each route with its
//! function and the first sentence of its operation's summary, then every function invoked
//! by something other than a route.

use fountain_runtime::function::{Events, Kind};
use serde_json::Value;

/// The lines that open and close the generated part of the README.
pub const BEGIN: &str =
    "<!-- functions: generated from the registry by `cargo run -p fountain-registry` -->";
pub const END: &str = "<!-- end of functions -->";

/// `readme` with its generated part replaced by the current tables, or `None` when it has
/// no generated part.
pub fn regenerate(readme: &str) -> Option<String> {
    let start = readme.find(BEGIN)?;
    let end = readme[start..].find(END)? + start;
    Some(format!(
        "{}{BEGIN}\n{}{}",
        &readme[..start],
        tables(),
        &readme[end..]
    ))
}

fn tables() -> String {
    let mut text = String::from("| route | function | what it does |\n|---|---|---|\n");
    for function in crate::functions() {
        let Some(openapi) = function.openapi else {
            continue;
        };
        let Ok(document) = serde_json::to_value(openapi()) else {
            continue;
        };
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let public = operation["security"]
                    .as_array()
                    .is_none_or(|security| security.is_empty());
                text.push_str(&format!(
                    "| `{} {path}` | `{}`{} | {} |\n",
                    method.to_uppercase(),
                    function.name,
                    if public { " (public)" } else { "" },
                    first_sentence(&operation["summary"]),
                ));
            }
        }
    }
    text.push_str("\n| function | invoked by |\n|---|---|\n");
    for function in crate::functions() {
        let invoked_by = match function.kind {
            Kind::Http => continue,
            Kind::Authorizer => "the HTTP API, before every protected route".to_owned(),
            Kind::Stream => "the table's stream (the outbox)".to_owned(),
            Kind::Scheduled => "its schedule in template.yaml".to_owned(),
            Kind::WebSocket { route } => format!("the WebSocket API's `{route}` route"),
            Kind::Consumer {
                events: Events::Every,
            } => "every event, from its queue".to_owned(),
            Kind::Consumer {
                events: Events::Only(types),
            } => format!("{}, from its queue", types.join(", ")),
        };
        text.push_str(&format!("| `{}` | {invoked_by} |\n", function.name));
    }
    text
}

/// The summary up to its first full stop, on one line, with table pipes escaped.
fn first_sentence(summary: &Value) -> String {
    let summary = summary.as_str().unwrap_or_default().replace('\n', " ");
    let sentence = match summary.find(". ") {
        Some(end) => &summary[..=end],
        None => summary.as_str(),
    };
    sentence.trim().replace('|', "\\|")
}
