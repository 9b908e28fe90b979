//! The hand-written tables of docs/events.md agree with the code: every catalog event has
//! its row with its source and aggregate, and every rule of template.yaml its row naming
//! each event type it routes, each target queue and the consumer of that queue.
#![allow(clippy::unwrap_used)]

use fountain_local::template::{FunctionEvent, Template};

fn events_md() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/events.md")).unwrap()
}

/// The table rows of `section` (from its heading to the next `## `).
fn rows(doc: &str, section: &str) -> Vec<String> {
    let start = doc.find(section).unwrap();
    let body = &doc[start + section.len()..];
    let body = &body[..body.find("\n## ").unwrap_or(body.len())];
    body.lines()
        .filter(|line| line.starts_with("| `") || line.starts_with("| ("))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_catalog_table_has_every_event_type_with_its_source_and_aggregate_and_no_other() {
    let rows = rows(&events_md(), "## Catalog");
    let specs = fountain_events::catalog::specs();
    for spec in &specs {
        let prefix = format!(
            "| `{}` | `{}` | `{}` (",
            spec.event_type, spec.source, spec.aggregate_type
        );
        assert!(
            rows.iter().any(|row| row.starts_with(&prefix)),
            "docs/events.md has no catalog row starting {prefix}"
        );
    }
    for row in &rows {
        let listed = row.split('`').nth(1).unwrap();
        assert!(
            specs.iter().any(|spec| spec.event_type == listed),
            "docs/events.md lists {listed}, which is not in the catalog"
        );
    }
}

#[test]
fn the_rules_table_names_every_rule_its_types_queues_and_consumers() {
    let template =
        Template::parse(&std::fs::read_to_string(fountain_local::default_template()).unwrap())
            .unwrap();
    let rows = rows(&events_md(), "## Rules, queues and consumers");
    for rule in &template.rules {
        let rule_row = rows
            .iter()
            .position(|row| row.starts_with(&format!("| `{}` |", rule.logical_id)))
            .unwrap_or_else(|| panic!("docs/events.md has no row for {}", rule.logical_id));
        for event_type in rule
            .pattern
            .get("detail-type")
            .and_then(|types| types.as_array())
            .into_iter()
            .flatten()
        {
            let event_type = event_type.as_str().unwrap();
            assert!(
                rows[rule_row].contains(event_type),
                "{}'s row does not name {event_type}",
                rule.logical_id
            );
        }
        // A rule's first target is on its row, the others on the "(same rule ...)" rows after it.
        for (offset, queue) in rule.targets.iter().enumerate() {
            let row = &rows[rule_row + offset];
            assert!(row.contains(&format!("`{queue}`")), "{queue} not in {row}");
            for function in &template.functions {
                let consumes = function.events.iter().any(
                    |event| matches!(event, FunctionEvent::Sqs { queue: q, .. } if q == queue),
                );
                if consumes {
                    assert!(
                        row.contains(&format!("(`{}`", function.binary)),
                        "{}'s row does not name its consumer {}",
                        queue,
                        function.binary
                    );
                }
            }
        }
    }
}

fn operations_md() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/operations.md"
    ))
    .unwrap()
}

#[test]
fn the_test_suite_table_has_a_row_for_every_suite_and_no_other() {
    let rows = rows(&operations_md(), "## Test");
    let suites: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for suite in &suites {
        assert!(
            rows.iter()
                .any(|row| row.starts_with(&format!("| `{suite}` |"))),
            "docs/operations.md has no row for tests/tests/{suite}"
        );
    }
    for row in &rows {
        let listed = row.split('`').nth(1).unwrap();
        assert!(suites.iter().any(|s| s == listed), "no suite {listed}");
    }
}

#[test]
fn the_alarm_table_has_a_row_for_every_alarm_of_the_template_and_no_other() {
    let template: serde_yaml_ng::Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(fountain_local::default_template()).unwrap(),
    )
    .unwrap();
    let alarms: Vec<String> = template["Resources"]
        .as_mapping()
        .unwrap()
        .iter()
        .filter(|(_, resource)| resource["Type"].as_str() == Some("AWS::CloudWatch::Alarm"))
        .map(|(id, _)| id.as_str().unwrap().to_owned())
        .collect();
    assert!(!alarms.is_empty());
    let doc = operations_md();
    let rows: Vec<&str> = doc
        .lines()
        .filter(|line| {
            line.starts_with("| `")
                && line
                    .split('`')
                    .nth(1)
                    .is_some_and(|id| id.ends_with("Alarm"))
        })
        .collect();
    for alarm in &alarms {
        assert!(
            rows.iter()
                .any(|row| row.starts_with(&format!("| `{alarm}` |"))),
            "docs/operations.md has no row for {alarm}"
        );
    }
    assert_eq!(rows.len(), alarms.len(), "alarm rows: {rows:?}");
}
