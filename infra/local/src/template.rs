//! Reads template.yaml: the one description of the topology. The runner provisions and wires
//! exactly what it declares; nothing about routes, rules or queues is written anywhere else.

use std::collections::BTreeMap;

use anyhow::{Context, Result, anyhow, bail};
use serde_yaml_ng::{Mapping, Value};

/// The parts of the template the local stack runs.
#[derive(Debug, Clone, Default)]
pub struct Template {
    pub parameters: BTreeMap<String, Option<String>>,
    pub tables: Vec<TableSpec>,
    pub queues: Vec<QueueSpec>,
    pub buses: Vec<String>,
    /// Logical ids of the S3 buckets.
    pub buckets: Vec<String>,
    pub rules: Vec<RuleSpec>,
    pub functions: Vec<FunctionSpec>,
    /// Logical id of the HTTP API's authorizer function.
    pub authorizer: Option<String>,
    /// `Globals.Function.Environment.Variables`, unresolved.
    pub global_env: BTreeMap<String, Value>,
    /// The SES identities (`EmailIdentity`, unresolved) the functions send email from.
    pub mail_identities: Vec<Value>,
    /// Secrets by logical id, with their initial `SecretString`.
    pub secrets: Vec<(String, String)>,
}

/// Lambda's default function timeout.
const DEFAULT_TIMEOUT: u64 = 3;

#[derive(Debug, Clone)]
pub struct TableSpec {
    pub logical_id: String,
    pub properties: Value,
}

#[derive(Debug, Clone)]
pub struct QueueSpec {
    pub logical_id: String,
    pub visibility_timeout: Option<u64>,
    /// Logical id of the dead-letter queue and maxReceiveCount.
    pub redrive: Option<(String, u64)>,
}

#[derive(Debug, Clone)]
pub struct RuleSpec {
    pub logical_id: String,
    pub bus: String,
    pub pattern: serde_json::Value,
    /// Logical ids of the target queues.
    pub targets: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct FunctionSpec {
    pub logical_id: String,
    pub binary: String,
    pub env: BTreeMap<String, Value>,
    pub events: Vec<FunctionEvent>,
    /// Timeout in seconds (the function's own, else the global one, else Lambda's 3 s).
    pub timeout: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunctionEvent {
    Http {
        method: String,
        path: String,
        public: bool,
    },
    Sqs {
        queue: String,
        batch_size: usize,
    },
    Stream {
        table: String,
        batch_size: usize,
    },
    /// An EventBridge schedule (`Schedule` or `ScheduleV2`): `rate(...)` or `cron(...)`.
    Schedule {
        expression: String,
    },
}

fn get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_mapping().and_then(|m| m.get(key))
}

fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    get(value, key).and_then(Value::as_str)
}

fn u64_at(value: &Value, key: &str) -> Option<u64> {
    get(value, key).and_then(|v| {
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
    })
}

fn env_vars(value: Option<&Value>) -> BTreeMap<String, Value> {
    value
        .and_then(|v| get(v, "Environment"))
        .and_then(|v| get(v, "Variables"))
        .and_then(Value::as_mapping)
        .map(|vars| {
            vars.iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.clone())))
                .collect()
        })
        .unwrap_or_default()
}

/// The logical id an intrinsic (`Ref: X` or `Fn::GetAtt: [X, Attr]`) points to.
pub fn referenced_id(value: &Value) -> Option<&str> {
    if let Some(id) = str_at(value, "Ref") {
        return Some(id);
    }
    match get(value, "Fn::GetAtt")? {
        Value::Sequence(parts) => parts.first()?.as_str(),
        Value::String(dotted) => dotted.split('.').next(),
        _ => None,
    }
}

impl Template {
    pub fn parse(text: &str) -> Result<Self> {
        let root: Value = serde_yaml_ng::from_str(text).context("template.yaml is not YAML")?;
        let mut template = Template::default();
        if let Some(parameters) = get(&root, "Parameters").and_then(Value::as_mapping) {
            for (name, spec) in parameters {
                let default = get(spec, "Default").and_then(|d| match d {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                });
                template
                    .parameters
                    .insert(name.as_str().unwrap_or_default().to_owned(), default);
            }
        }
        let globals = get(&root, "Globals").and_then(|g| get(g, "Function"));
        template.global_env = env_vars(globals);
        let global_timeout = globals
            .and_then(|g| u64_at(g, "Timeout"))
            .unwrap_or(DEFAULT_TIMEOUT);
        let resources = get(&root, "Resources")
            .and_then(Value::as_mapping)
            .ok_or_else(|| anyhow!("template.yaml has no Resources"))?;
        for (id, resource) in resources {
            let id = id.as_str().unwrap_or_default().to_owned();
            let properties = get(resource, "Properties")
                .cloned()
                .unwrap_or(Value::Mapping(Mapping::new()));
            match str_at(resource, "Type").unwrap_or_default() {
                "AWS::DynamoDB::Table" => template.tables.push(TableSpec {
                    logical_id: id,
                    properties,
                }),
                "AWS::SQS::Queue" => template.queues.push(queue(id, &properties)?),
                "AWS::Events::EventBus" => template.buses.push(id),
                "AWS::S3::Bucket" => template.buckets.push(id),
                "AWS::SecretsManager::Secret" => template.secrets.push((
                    id,
                    str_at(&properties, "SecretString")
                        .unwrap_or("{}")
                        .to_owned(),
                )),
                "AWS::SES::EmailIdentity" => template.mail_identities.push(
                    get(&properties, "EmailIdentity")
                        .cloned()
                        .ok_or_else(|| anyhow!("{id}: no EmailIdentity"))?,
                ),
                "AWS::Events::Rule" => template.rules.push(rule(id, &properties)?),
                "AWS::Serverless::Function" => template.functions.push(function(
                    id,
                    resource,
                    &properties,
                    global_timeout,
                    &template.parameters,
                )?),
                "AWS::Serverless::HttpApi" => template.authorizer = authorizer(&properties),
                _ => {}
            }
        }
        Ok(template)
    }

    pub fn function(&self, logical_id: &str) -> Option<&FunctionSpec> {
        self.functions.iter().find(|f| f.logical_id == logical_id)
    }

    /// Every HTTP route: (method, path, function logical id, public).
    pub fn routes(&self) -> Vec<(String, String, String, bool)> {
        self.functions
            .iter()
            .flat_map(|f| {
                f.events.iter().filter_map(move |e| match e {
                    FunctionEvent::Http {
                        method,
                        path,
                        public,
                    } => Some((method.clone(), path.clone(), f.logical_id.clone(), *public)),
                    _ => None,
                })
            })
            .collect()
    }
}

fn queue(logical_id: String, properties: &Value) -> Result<QueueSpec> {
    let redrive = match get(properties, "RedrivePolicy") {
        None => None,
        Some(policy) => {
            let target = get(policy, "deadLetterTargetArn")
                .and_then(referenced_id)
                .ok_or_else(|| {
                    anyhow!("{logical_id}: deadLetterTargetArn must reference a queue")
                })?;
            let count = u64_at(policy, "maxReceiveCount").unwrap_or(5);
            Some((target.to_owned(), count))
        }
    };
    Ok(QueueSpec {
        visibility_timeout: u64_at(properties, "VisibilityTimeout"),
        logical_id,
        redrive,
    })
}

fn rule(logical_id: String, properties: &Value) -> Result<RuleSpec> {
    let bus = get(properties, "EventBusName")
        .and_then(referenced_id)
        .ok_or_else(|| anyhow!("{logical_id}: EventBusName must reference a bus"))?
        .to_owned();
    let pattern =
        get(properties, "EventPattern").ok_or_else(|| anyhow!("{logical_id}: no EventPattern"))?;
    let mut targets = Vec::new();
    for target in get(properties, "Targets")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        if get(target, "InputTransformer").is_some() || get(target, "InputPath").is_some() {
            bail!("{logical_id}: rules deliver whole events (no input transformers)");
        }
        let arn = get(target, "Arn").and_then(referenced_id);
        targets.push(
            arn.ok_or_else(|| anyhow!("{logical_id}: targets must be queues of the template"))?
                .to_owned(),
        );
    }
    Ok(RuleSpec {
        logical_id,
        bus,
        pattern: serde_json::to_value(pattern)?,
        targets,
    })
}

fn function(
    logical_id: String,
    resource: &Value,
    properties: &Value,
    global_timeout: u64,
    parameters: &BTreeMap<String, Option<String>>,
) -> Result<FunctionSpec> {
    let binary = get(resource, "Metadata")
        .and_then(|m| get(m, "BuildProperties"))
        .and_then(|b| str_at(b, "Binary"))
        .ok_or_else(|| anyhow!("{logical_id}: Metadata.BuildProperties.Binary is required"))?
        .to_owned();
    let mut events = Vec::new();
    for (name, event) in get(properties, "Events")
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap_or_default();
        let props = get(event, "Properties").cloned().unwrap_or(Value::Null);
        // A literal, or a parameter's default (e.g. GenerationBatchSize).
        let batch_size = u64_at(&props, "BatchSize")
            .or_else(|| {
                get(&props, "BatchSize")
                    .and_then(referenced_id)
                    .and_then(|name| parameters.get(name)?.as_deref()?.parse().ok())
            })
            .unwrap_or(10) as usize;
        match str_at(event, "Type").unwrap_or_default() {
            "HttpApi" => events.push(FunctionEvent::Http {
                method: str_at(&props, "Method").unwrap_or("ANY").to_uppercase(),
                path: str_at(&props, "Path")
                    .ok_or_else(|| anyhow!("{logical_id}.{name}: no Path"))?
                    .to_owned(),
                public: get(&props, "Auth").and_then(|a| str_at(a, "Authorizer")) == Some("NONE"),
            }),
            "SQS" => events.push(FunctionEvent::Sqs {
                queue: get(&props, "Queue")
                    .and_then(referenced_id)
                    .ok_or_else(|| anyhow!("{logical_id}.{name}: Queue"))?
                    .to_owned(),
                batch_size,
            }),
            "DynamoDB" => events.push(FunctionEvent::Stream {
                table: get(&props, "Stream")
                    .and_then(referenced_id)
                    .ok_or_else(|| anyhow!("{logical_id}.{name}: Stream"))?
                    .to_owned(),
                batch_size,
            }),
            "Schedule" | "ScheduleV2" => events.push(FunctionEvent::Schedule {
                expression: str_at(&props, "ScheduleExpression")
                    .ok_or_else(|| anyhow!("{logical_id}.{name}: no ScheduleExpression"))?
                    .to_owned(),
            }),
            other => bail!("{logical_id}.{name}: event type {other} is not run locally"),
        }
    }
    Ok(FunctionSpec {
        logical_id,
        binary,
        env: env_vars(Some(properties)),
        events,
        timeout: u64_at(properties, "Timeout").unwrap_or(global_timeout),
    })
}

fn authorizer(properties: &Value) -> Option<String> {
    let auth = get(properties, "Auth")?;
    let default = str_at(auth, "DefaultAuthorizer")?;
    let spec = get(auth, "Authorizers").and_then(|a| get(a, default))?;
    get(spec, "FunctionArn")
        .and_then(referenced_id)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> Template {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../template.yaml"))
                .unwrap();
        Template::parse(&text).unwrap()
    }

    #[test]
    fn the_template_declares_routes_consumers_and_the_relay() {
        let t = template();
        assert_eq!(t.authorizer.as_deref(), Some("AuthorizerFunction"));
        let routes = t.routes();
        assert!(routes.contains(&(
            "POST".into(),
            "/scripts".into(),
            "CreateScriptFunction".into(),
            false
        )));
        assert!(routes.contains(&(
            "GET".into(),
            "/health".into(),
            "HealthFunction".into(),
            true
        )));
        let relay = t.function("RelayFunction").unwrap();
        assert_eq!(
            relay.events,
            vec![FunctionEvent::Stream {
                table: "AppTable".into(),
                batch_size: 100
            }]
        );
        let queue = t
            .queues
            .iter()
            .find(|q| q.logical_id == "EventStoreQueue")
            .unwrap();
        assert_eq!(queue.redrive, Some(("EventStoreDeadLetterQueue".into(), 5)));
        assert!(t.rules.iter().all(|r| !r.targets.is_empty()));
    }

    #[test]
    fn input_transformers_and_non_queue_targets_are_refused() {
        let text = "Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventBusName: { Ref: B }\n      EventPattern: { source: [x] }\n      Targets:\n        - Id: t\n          Arn: { Fn::GetAtt: [Q, Arn] }\n          InputTransformer: { InputTemplate: x }\n";
        assert!(Template::parse(text).is_err());
    }
}
