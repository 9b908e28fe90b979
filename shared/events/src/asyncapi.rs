//! The AsyncAPI 3.0 document of the event catalog, generated, never hand-written.
//! `cargo run -p fountain-events --bin asyncapi -- docs/asyncapi.json` writes it; a test
//! fails when the committed copy differs from what the catalog generates.

use serde_json::{Map, Value, json};
use utoipa::{PartialSchema, ToSchema};

use crate::catalog::specs;
use crate::envelope::EventEnvelope;

/// The whole document, deterministic (keys sorted) so it can be diffed.
pub fn document() -> Value {
    let mut channels = Map::new();
    let mut operations = Map::new();
    let mut messages = Map::new();
    let mut schemas = Map::new();
    schemas.insert(
        EventEnvelope::name().into_owned(),
        to_json(&EventEnvelope::schema()),
    );

    for spec in specs() {
        let name = spec.event_type;
        channels.insert(
            name.to_owned(),
            json!({
                "address": format!("{}/{}", spec.source, name),
                "description": format!(
                    "EventBridge events with source `{}` and detail-type `{}`.",
                    spec.source, name
                ),
                "messages": { name: { "$ref": format!("#/components/messages/{name}") } },
            }),
        );
        operations.insert(
            format!("publish{name}"),
            json!({
                "action": "send",
                "channel": { "$ref": format!("#/channels/{name}") },
                "messages": [{ "$ref": format!("#/channels/{name}/messages/{name}") }],
            }),
        );
        messages.insert(
            name.to_owned(),
            json!({
                "name": name,
                "title": name,
                "summary": spec.description,
                "contentType": "application/json",
                "x-aggregate-type": spec.aggregate_type,
                "payload": {
                    "allOf": [
                        { "$ref": "#/components/schemas/EventEnvelope" },
                        {
                            "type": "object",
                            "properties": {
                                "type": { "const": name },
                                "version": { "const": spec.version },
                                "source": { "const": spec.source },
                                "aggregateType": { "const": spec.aggregate_type },
                                "data": { "$ref": format!("#/components/schemas/{}", spec.schema_name) },
                            },
                        },
                    ],
                },
            }),
        );
        schemas.insert(spec.schema_name.clone(), to_json(&spec.schema));
        for (nested_name, nested) in &spec.nested {
            schemas.insert(nested_name.clone(), to_json(nested));
        }
    }

    json!({
        "asyncapi": "3.0.0",
        "info": {
            "title": "FountainAI domain events",
            "version": "1.0.0",
            "description": "Every domain event FountainAI publishes on its EventBridge bus. \
                The EventBridge `detail` is the envelope; `detail-type` is the event type.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": { "messages": messages, "schemas": schemas },
    })
}

/// The document as the pretty JSON committed to docs/.
pub fn render() -> String {
    let mut text = serde_json::to_string_pretty(&document()).unwrap_or_default();
    text.push('\n');
    text
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_event_has_a_channel_an_operation_and_a_message_with_its_data_schema() {
        let doc = document();
        assert_eq!(doc["asyncapi"], "3.0.0");
        for spec in specs() {
            let name = spec.event_type;
            assert!(doc["channels"][name].is_object(), "channel {name}");
            assert!(doc["operations"][format!("publish{name}")].is_object());
            let data_ref = &doc["components"]["messages"][name]["payload"]["allOf"][1]["properties"]
                ["data"]["$ref"];
            let schema_name = data_ref.as_str().unwrap().rsplit('/').next().unwrap();
            assert!(
                doc["components"]["schemas"][schema_name].is_object(),
                "schema {schema_name}"
            );
        }
    }

    #[test]
    fn every_schema_reference_resolves() {
        let doc = document();
        let text = doc.to_string();
        for reference in text.split("\"$ref\":\"").skip(1) {
            let target = &reference[..reference.find('"').unwrap()];
            let path: Vec<&str> = target.trim_start_matches("#/").split('/').collect();
            let mut node = &doc;
            for part in &path {
                node = &node[*part];
            }
            assert!(!node.is_null(), "dangling reference {target}");
        }
    }

    #[test]
    fn the_committed_document_matches_the_catalog() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/asyncapi.json");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == render(),
            "docs/asyncapi.json is stale: run `cargo run -p fountain-events --bin asyncapi -- docs/asyncapi.json`"
        );
    }
}
