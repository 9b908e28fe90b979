//! The registry (each context's `FUNCTIONS`) agrees with template.yaml and with the files
//! generated from it: one function per template resource, each invoked the way its entry
//! says (route, queue of the rule with its event types, stream, authorizer), and every
//! generated main and document up to date.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use fountain_local::template::{FunctionEvent, FunctionSpec, Template};
use fountain_runtime::function::{Events, Function, Kind};

fn template() -> Template {
    Template::parse(&std::fs::read_to_string(fountain_local::default_template()).unwrap()).unwrap()
}

fn spec<'a>(template: &'a Template, function: &Function) -> &'a FunctionSpec {
    template
        .functions
        .iter()
        .find(|spec| spec.binary == function.name)
        .unwrap_or_else(|| panic!("{} has no resource in template.yaml", function.name))
}

#[test]
fn every_function_of_the_template_is_in_the_registry_and_no_other() {
    let declared: BTreeSet<String> = template()
        .functions
        .iter()
        .map(|f| f.binary.clone())
        .collect();
    let registered: BTreeSet<String> = fountain_registry::functions()
        .map(|f| f.name.to_owned())
        .collect();
    assert_eq!(
        declared.difference(&registered).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "functions of template.yaml with no registry entry"
    );
    assert_eq!(
        registered.difference(&declared).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "registry entries with no function in template.yaml"
    );
    assert_eq!(
        registered.len(),
        fountain_registry::functions().count(),
        "a name is registered twice"
    );
}

/// The (method, path) pairs of a function's OpenAPI operations.
fn operations(function: &Function) -> BTreeSet<(String, String)> {
    let Some(openapi) = function.openapi else {
        return BTreeSet::new();
    };
    let doc = serde_json::to_value(openapi()).unwrap();
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect()
}

#[test]
fn each_function_is_invoked_the_way_its_entry_says() {
    let template = template();
    for function in fountain_registry::functions() {
        let spec = spec(&template, function);
        let name = function.name;
        let routes: BTreeSet<(String, String)> = spec
            .events
            .iter()
            .filter_map(|event| match event {
                FunctionEvent::Http { method, path, .. } => Some((method.clone(), path.clone())),
                _ => None,
            })
            .collect();
        let queues = spec
            .events
            .iter()
            .filter(|e| matches!(e, FunctionEvent::Sqs { .. }))
            .count();
        let streams = spec
            .events
            .iter()
            .filter(|e| matches!(e, FunctionEvent::Stream { .. }))
            .count();
        let schedules = spec
            .events
            .iter()
            .filter(|e| matches!(e, FunctionEvent::Schedule { .. }))
            .count();
        match function.kind {
            Kind::Http => {
                let operations = operations(function);
                assert_eq!(operations.len(), 1, "{name}: one OpenAPI operation");
                assert_eq!(
                    routes, operations,
                    "{name}: template route vs its operation"
                );
                assert_eq!((queues, streams), (0, 0), "{name}: only a route");
            }
            Kind::Authorizer => {
                assert_eq!(
                    template.authorizer.as_deref(),
                    Some(spec.logical_id.as_str())
                );
                assert!(spec.events.is_empty(), "{name}");
            }
            Kind::Consumer { .. } => {
                assert_eq!(
                    (routes.len(), queues, streams),
                    (0, 1, 0),
                    "{name}: one queue"
                );
            }
            Kind::Stream => {
                assert_eq!(
                    (routes.len(), queues, streams),
                    (0, 0, 1),
                    "{name}: the stream"
                );
            }
            Kind::Scheduled => {
                assert_eq!(
                    (routes.len(), queues, streams, schedules),
                    (0, 0, 0, 1),
                    "{name}: one schedule"
                );
            }
            Kind::WebSocket { route } => {
                assert!(spec.events.is_empty(), "{name}: only its WebSocket route");
                assert_eq!(
                    websocket_route_target(route).as_deref(),
                    Some(spec.logical_id.as_str()),
                    "{name}: the WebSocket API's {route} route invokes it"
                );
            }
        }
        if function.kind != Kind::Scheduled {
            assert_eq!(
                schedules, 0,
                "{name}: only scheduled functions have a schedule"
            );
        }
        if function.kind != Kind::Http {
            assert!(function.openapi.is_none(), "{name}: no operation");
        }
    }
}

/// The function the WebSocket API's route `route_key` invokes: the route's target names an
/// integration whose URI names the function's ARN.
fn websocket_route_target(route_key: &str) -> Option<String> {
    let text = std::fs::read_to_string(fountain_local::default_template()).unwrap();
    let raw: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let resources = raw["Resources"].as_mapping()?;
    let of_type = |kind: &'static str| {
        resources
            .iter()
            .filter(move |(_, r)| r["Type"].as_str() == Some(kind))
    };
    let (_, route) = of_type("AWS::ApiGatewayV2::Route")
        .find(|(_, r)| r["Properties"]["RouteKey"].as_str() == Some(route_key))?;
    let target = route["Properties"]["Target"]["Fn::Sub"].as_str()?;
    let integration = target.strip_prefix("integrations/${")?.strip_suffix('}')?;
    let uri = resources
        .get(integration)?
        .get("Properties")?
        .get("IntegrationUri")?
        .get("Fn::Sub")?
        .as_str()?;
    let function = uri.split("functions/${").nth(1)?.split(".Arn}").next()?;
    Some(function.to_owned())
}

/// The event types the rules targeting `queue` deliver: `None` for a rule without a
/// `detail-type` list (every event).
fn delivered_types(template: &Template, queue: &str) -> Option<BTreeSet<String>> {
    let mut types = BTreeSet::new();
    for rule in template
        .rules
        .iter()
        .filter(|r| r.targets.iter().any(|t| t == queue))
    {
        let listed = rule.pattern.get("detail-type")?.as_array().unwrap();
        types.extend(listed.iter().map(|t| t.as_str().unwrap().to_owned()));
    }
    Some(types)
}

#[test]
fn each_consumer_takes_exactly_the_event_types_its_rule_delivers() {
    let template = template();
    let mut consumers = 0;
    for function in fountain_registry::functions() {
        let Kind::Consumer { events } = function.kind else {
            continue;
        };
        consumers += 1;
        let queue = spec(&template, function)
            .events
            .iter()
            .find_map(|event| match event {
                FunctionEvent::Sqs { queue, .. } => Some(queue.clone()),
                _ => None,
            })
            .unwrap();
        let delivered = delivered_types(&template, &queue);
        match events {
            Events::Every => assert_eq!(
                delivered, None,
                "{}: declares every event, but its rule lists types",
                function.name
            ),
            Events::Only(declared) => {
                let declared: BTreeSet<String> = declared.iter().map(|t| t.to_string()).collect();
                assert_eq!(
                    delivered,
                    Some(declared),
                    "{}: the rule's detail-type list (left) and the consumer's declaration (right) differ",
                    function.name
                );
            }
        }
    }
    assert_eq!(
        consumers, 19,
        "the product's nineteen consumers are checked"
    );
}

#[test]
fn declared_event_types_are_in_the_catalog() {
    let catalog: BTreeSet<&str> = fountain_events::catalog::specs()
        .into_iter()
        .map(|spec| spec.event_type)
        .collect();
    for function in fountain_registry::functions() {
        if let Kind::Consumer {
            events: Events::Only(types),
        } = function.kind
        {
            for event_type in types {
                assert!(
                    catalog.contains(event_type),
                    "{}: {event_type}",
                    function.name
                );
            }
        }
    }
}

#[test]
fn the_generated_files_are_up_to_date() {
    let root = fountain_registry::generated::repository_root();
    for file in fountain_registry::generated::files().unwrap() {
        let on_disk = std::fs::read_to_string(root.join(&file.path)).unwrap_or_default();
        assert!(
            on_disk == file.text,
            "{} is stale: run `cargo run -p fountain-registry`",
            file.path.display()
        );
    }
    assert_eq!(
        fountain_registry::generated::stray_mains().unwrap(),
        Vec::<std::path::PathBuf>::new(),
        "mains with no registry entry: run `cargo run -p fountain-registry`"
    );
}
