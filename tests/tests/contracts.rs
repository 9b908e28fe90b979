//! The contracts agree with the code: every route of template.yaml is in the OpenAPI
//! document and every event type of the catalog is in the AsyncAPI document. (The registry's
//! agreement with the template is in registry.rs.)
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

use fountain_local::template::Template;

fn template() -> Template {
    Template::parse(&std::fs::read_to_string(fountain_local::default_template()).unwrap()).unwrap()
}

#[test]
fn every_route_of_the_template_is_in_the_openapi_document_and_no_other() {
    let doc: serde_json::Value =
        serde_json::from_str(&fountain_registry::openapi::json().unwrap()).unwrap();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let routed: BTreeSet<(String, String)> = template()
        .routes()
        .into_iter()
        .map(|(method, path, _, _)| (method, path))
        .collect();
    let missing: Vec<_> = routed.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the OpenAPI document: {missing:?}"
    );
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        unrouted.is_empty(),
        "documented operations with no route in template.yaml: {unrouted:?}"
    );
}

#[test]
fn protected_routes_declare_bearer_security_and_public_ones_none() {
    let doc: serde_json::Value =
        serde_json::from_str(&fountain_registry::openapi::json().unwrap()).unwrap();
    for (method, path, _, public) in template().routes() {
        let operation = &doc["paths"][&path][method.to_lowercase()];
        let secured = operation["security"]
            .as_array()
            .is_some_and(|s| !s.is_empty());
        assert_eq!(secured, !public, "{method} {path}");
    }
}

#[test]
fn every_catalog_event_is_in_the_asyncapi_document() {
    let doc = fountain_events::asyncapi::document();
    for spec in fountain_events::catalog::specs() {
        assert!(
            doc["channels"][spec.event_type].is_object(),
            "{} missing",
            spec.event_type
        );
        assert!(doc["components"]["messages"][spec.event_type].is_object());
    }
}

#[test]
fn rules_deliver_to_queues_with_dead_letter_queues_and_safe_visibility_timeouts() {
    let template = template();
    for rule in &template.rules {
        for target in &rule.targets {
            let queue = template
                .queues
                .iter()
                .find(|q| &q.logical_id == target)
                .unwrap();
            assert!(queue.redrive.is_some(), "{target} has no DLQ");
        }
    }
    for function in &template.functions {
        for event in &function.events {
            if let fountain_local::template::FunctionEvent::Sqs { queue, .. } = event {
                let spec = template
                    .queues
                    .iter()
                    .find(|q| &q.logical_id == queue)
                    .unwrap();
                let visibility = spec.visibility_timeout.unwrap_or(30);
                assert!(spec.redrive.is_some(), "{queue} has no DLQ");
                assert!(
                    visibility >= 6 * function.timeout,
                    "{queue}: visibility timeout {visibility} s is below six times {}'s timeout",
                    function.logical_id
                );
            }
        }
    }
}

#[test]
fn the_readme_layout_names_every_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let layout = readme
        .split("## Layout")
        .nth(1)
        .and_then(|rest| rest.split("```").nth(1))
        .unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root.join("functions")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !layout.contains(&format!("  {name}/ ")) {
            missing.push(format!("functions/{name}"));
        }
    }
    for entry in std::fs::read_dir(root.join("shared")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !layout.contains(&name) {
            missing.push(format!("shared/{name}"));
        }
    }
    assert!(
        missing.is_empty(),
        "not in the README's layout: {missing:?}"
    );
}

#[test]
fn every_dead_letter_queue_has_an_alarm_and_every_alarm_notifies_the_topic() {
    let text = std::fs::read_to_string(fountain_local::default_template()).unwrap();
    let root: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let resources = root["Resources"].as_mapping().unwrap();
    let of_type = |kind: &str| -> Vec<(String, serde_yaml_ng::Value)> {
        resources
            .iter()
            .filter(|(_, r)| r["Type"].as_str() == Some(kind))
            .map(|(id, r)| (id.as_str().unwrap().to_owned(), r.clone()))
            .collect()
    };
    let dead_letter_queues: BTreeSet<String> = template()
        .queues
        .iter()
        .filter_map(|q| q.redrive.as_ref().map(|(dlq, _)| dlq.clone()))
        .collect();
    let alarms = of_type("AWS::CloudWatch::Alarm");
    let watched: BTreeSet<String> = alarms
        .iter()
        .filter_map(|(_, alarm)| {
            let dimension = &alarm["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0];
            dimension.as_str().map(str::to_owned)
        })
        .collect();
    let unwatched: Vec<_> = dead_letter_queues.difference(&watched).collect();
    assert!(
        unwatched.is_empty(),
        "dead-letter queues without an alarm: {unwatched:?}"
    );
    for (id, alarm) in &alarms {
        let actions = &alarm["Properties"]["AlarmActions"]["Fn::If"];
        assert_eq!(actions[0].as_str(), Some("HasAlarmTopic"), "{id}");
        assert_eq!(actions[1][0]["Ref"].as_str(), Some("AlarmTopicArn"), "{id}");
    }
}

#[test]
fn the_api_is_throttled_and_the_argon2_functions_cannot_starve_the_rest() {
    let text = std::fs::read_to_string(fountain_local::default_template()).unwrap();
    let root: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let api = &root["Resources"]["HttpApi"]["Properties"];
    assert_eq!(
        api["DefaultRouteSettings"]["ThrottlingRateLimit"]["Ref"].as_str(),
        Some("ApiThrottleRate")
    );
    for route in [
        "POST /auth/register",
        "POST /auth/login",
        "POST /auth/refresh",
        "POST /auth/verify-email",
        "POST /auth/forgot-password",
        "POST /auth/reset-password",
    ] {
        let settings = &api["RouteSettings"][route];
        assert_eq!(
            settings["ThrottlingRateLimit"]["Ref"].as_str(),
            Some("SignInThrottleRate"),
            "{route}"
        );
        assert!(settings["ThrottlingBurstLimit"].is_mapping(), "{route}");
    }
    let routed: BTreeSet<String> = template()
        .routes()
        .into_iter()
        .map(|(method, path, _, _)| format!("{method} {path}"))
        .collect();
    for route in api["RouteSettings"].as_mapping().unwrap().keys() {
        assert!(
            routed.contains(route.as_str().unwrap()),
            "{route:?} is a route"
        );
    }
    for function in ["RegisterFunction", "LoginFunction", "ResetPasswordFunction"] {
        let reserved =
            &root["Resources"][function]["Properties"]["ReservedConcurrentExecutions"]["Fn::If"];
        assert_eq!(reserved[0].as_str(), Some("ReservesSignIn"), "{function}");
        assert_eq!(
            reserved[1]["Ref"].as_str(),
            Some("SignInReservedConcurrency"),
            "{function}"
        );
    }
}

/// The parsed template.yaml, as YAML.
fn template_yaml() -> serde_yaml_ng::Value {
    let text = std::fs::read_to_string(fountain_local::default_template()).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

/// The resources of the template of one type, by logical id.
fn resources_of(root: &serde_yaml_ng::Value, kind: &str) -> Vec<(String, serde_yaml_ng::Value)> {
    root["Resources"]
        .as_mapping()
        .unwrap()
        .iter()
        .filter(|(_, resource)| resource["Type"].as_str() == Some(kind))
        .map(|(id, resource)| (id.as_str().unwrap().to_owned(), resource.clone()))
        .collect()
}

#[test]
fn queues_are_encrypted_buckets_take_tls_only_and_the_api_logs_access() {
    let root = template_yaml();
    let queues = resources_of(&root, "AWS::SQS::Queue");
    assert!(queues.len() > 20);
    for (id, queue) in &queues {
        assert_eq!(
            queue["Properties"]["SqsManagedSseEnabled"].as_bool(),
            Some(true),
            "{id} is encrypted at rest"
        );
    }
    let policies = resources_of(&root, "AWS::S3::BucketPolicy");
    for (bucket, _) in resources_of(&root, "AWS::S3::Bucket") {
        let tls_only = policies.iter().any(|(_, policy)| {
            let properties = &policy["Properties"];
            properties["Bucket"]["Ref"].as_str() == Some(bucket.as_str())
                && properties["PolicyDocument"]["Statement"]
                    .as_sequence()
                    .unwrap()
                    .iter()
                    .any(|statement| {
                        statement["Effect"].as_str() == Some("Deny")
                            && statement["Condition"]["Bool"]["aws:SecureTransport"].as_str()
                                == Some("false")
                    })
        });
        assert!(tls_only, "{bucket} refuses requests without TLS");
    }
    let logs = &root["Resources"]["HttpApi"]["Properties"]["AccessLogSettings"];
    assert_eq!(
        logs["DestinationArn"]["Fn::GetAtt"][0].as_str(),
        Some("ApiAccessLogs")
    );
    let format = logs["Format"].as_str().unwrap();
    assert!(format.contains("$context.routeKey") && !format.contains("$context.path"));
    for parameter in ["GeneratorUrl", "GeneratorBackupUrl"] {
        assert_eq!(
            root["Parameters"][parameter]["AllowedPattern"].as_str(),
            Some("^(https://\\S+)?$"),
            "{parameter} is https"
        );
    }
    assert_eq!(
        root["Resources"]["EventArchive"]["Properties"]["RetentionDays"]["Ref"].as_str(),
        Some("EventArchiveRetentionDays")
    );
}
