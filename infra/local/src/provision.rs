//! Creates the template's tables, queues, buses and rules in the emulator, named
//! `<prefix>-<LogicalId>` so that several stacks (one per test) can share one emulator.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result, anyhow};
use aws_config::SdkConfig;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    LocalSecondaryIndex, Projection, ProjectionType, ScalarAttributeType, StreamSpecification,
    StreamViewType,
};
use aws_sdk_sqs::types::QueueAttributeName;
use serde_yaml_ng::Value;

use crate::template::{Template, referenced_id};

#[derive(Debug, Clone)]
pub struct Queue {
    pub name: String,
    pub url: String,
    pub arn: String,
}

/// What was created, by logical id.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    pub tables: HashMap<String, (String, Option<String>)>,
    pub queues: HashMap<String, Queue>,
    pub buses: HashMap<String, (String, String)>,
    /// Bucket names by logical id.
    pub buckets: HashMap<String, String>,
    /// Secret ARNs by logical id (what `Ref` gives, as in CloudFormation).
    pub secrets: HashMap<String, String>,
    pub parameters: BTreeMap<String, String>,
    /// The functions' names: locally, a function is named by its logical id.
    pub functions: std::collections::BTreeSet<String>,
}

impl Resources {
    /// The value of a literal, `Ref` or `Fn::GetAtt` as CloudFormation would resolve it.
    pub fn resolve(&self, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => return Some(s.clone()),
            Value::Number(n) => return Some(n.to_string()),
            Value::Bool(b) => return Some(b.to_string()),
            _ => {}
        }
        let id = referenced_id(value)?;
        let attribute = value
            .as_mapping()
            .and_then(|m| m.get("Fn::GetAtt"))
            .and_then(|v| match v {
                Value::Sequence(parts) => parts.get(1).and_then(Value::as_str).map(str::to_owned),
                Value::String(dotted) => dotted.split_once('.').map(|(_, a)| a.to_owned()),
                _ => None,
            });
        match attribute.as_deref() {
            None => self
                .parameters
                .get(id)
                .cloned()
                .or_else(|| self.tables.get(id).map(|t| t.0.clone()))
                .or_else(|| self.queues.get(id).map(|q| q.url.clone()))
                .or_else(|| self.buses.get(id).map(|b| b.0.clone()))
                .or_else(|| self.buckets.get(id).cloned())
                .or_else(|| self.secrets.get(id).cloned())
                .or_else(|| self.functions.get(id).cloned()),
            Some("Arn") => self
                .queues
                .get(id)
                .map(|q| q.arn.clone())
                .or_else(|| self.buses.get(id).map(|b| b.1.clone())),
            Some("StreamArn") => self.tables.get(id).and_then(|t| t.1.clone()),
            Some("QueueName") => self.queues.get(id).map(|q| q.name.clone()),
            Some(_) => None,
        }
    }
}

fn s<'a>(value: &'a Value, key: &str) -> Result<&'a str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("missing {key}"))
}

fn key_schema(value: &Value) -> Result<Vec<KeySchemaElement>> {
    value
        .get("KeySchema")
        .and_then(Value::as_sequence)
        .ok_or_else(|| anyhow!("missing KeySchema"))?
        .iter()
        .map(|k| {
            Ok(KeySchemaElement::builder()
                .attribute_name(s(k, "AttributeName")?)
                .key_type(KeyType::from(s(k, "KeyType")?))
                .build()?)
        })
        .collect()
}

/// An index's projection type (ALL when unset).
fn projection(index: &Value) -> Projection {
    let kind = index
        .get("Projection")
        .and_then(|p| p.get("ProjectionType"))
        .and_then(Value::as_str)
        .unwrap_or("ALL");
    Projection::builder()
        .projection_type(ProjectionType::from(kind))
        .build()
}

async fn create_table(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
    props: &Value,
) -> Result<Option<String>> {
    let attributes = props
        .get("AttributeDefinitions")
        .and_then(Value::as_sequence)
        .ok_or_else(|| anyhow!("missing AttributeDefinitions"))?
        .iter()
        .map(|a| {
            Ok(AttributeDefinition::builder()
                .attribute_name(s(a, "AttributeName")?)
                .attribute_type(ScalarAttributeType::from(s(a, "AttributeType")?))
                .build()?)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut request = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(attributes))
        .set_key_schema(Some(key_schema(props)?));
    for index in props
        .get("GlobalSecondaryIndexes")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        request = request.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(s(index, "IndexName")?)
                .set_key_schema(Some(key_schema(index)?))
                .projection(projection(index))
                .build()?,
        );
    }
    for index in props
        .get("LocalSecondaryIndexes")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        request = request.local_secondary_indexes(
            LocalSecondaryIndex::builder()
                .index_name(s(index, "IndexName")?)
                .set_key_schema(Some(key_schema(index)?))
                .projection(projection(index))
                .build()?,
        );
    }
    if let Some(view) = props
        .get("StreamSpecification")
        .and_then(|v| v.get("StreamViewType"))
        .and_then(Value::as_str)
    {
        request = request.stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::from(view))
                .build()?,
        );
    }
    let output = request
        .send()
        .await
        .with_context(|| format!("create table {name}"))?;
    Ok(output.table_description.and_then(|d| d.latest_stream_arn))
}

/// Provisions everything the template declares; `parameters` override parameter defaults.
pub async fn provision(
    sdk: &SdkConfig,
    template: &Template,
    prefix: &str,
    parameters: &BTreeMap<String, String>,
) -> Result<Resources> {
    let dynamodb = aws_sdk_dynamodb::Client::new(sdk);
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let events = aws_sdk_eventbridge::Client::new(sdk);
    let mut resources = Resources::default();
    // The pseudo parameter functions name their stack's resources by (`<prefix>-<LogicalId>`).
    resources
        .parameters
        .insert("AWS::StackName".to_owned(), prefix.to_owned());
    resources.functions = template
        .functions
        .iter()
        .map(|f| f.logical_id.clone())
        .collect();
    for (name, default) in &template.parameters {
        if let Some(value) = parameters.get(name).cloned().or_else(|| default.clone()) {
            resources.parameters.insert(name.clone(), value);
        }
    }

    for table in &template.tables {
        let name = format!("{prefix}-{}", table.logical_id);
        let stream = create_table(&dynamodb, &name, &table.properties).await?;
        resources
            .tables
            .insert(table.logical_id.clone(), (name, stream));
    }

    // Dead-letter queues first: the queues that use them need their ARNs.
    let mut queues: Vec<_> = template.queues.iter().collect();
    queues.sort_by_key(|q| q.redrive.is_some());
    for queue in queues {
        let name = format!("{prefix}-{}", queue.logical_id);
        let mut request = sqs.create_queue().queue_name(&name);
        if let Some(timeout) = queue.visibility_timeout {
            request =
                request.attributes(QueueAttributeName::VisibilityTimeout, timeout.to_string());
        }
        if let Some((dlq, max_receive)) = &queue.redrive {
            let dlq_arn = &resources
                .queues
                .get(dlq)
                .ok_or_else(|| anyhow!("{dlq} is not a queue"))?
                .arn;
            let policy = serde_json::json!({ "deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive });
            request = request.attributes(QueueAttributeName::RedrivePolicy, policy.to_string());
        }
        let url = request
            .send()
            .await
            .with_context(|| format!("create queue {name}"))?
            .queue_url
            .unwrap_or_default();
        let arn = sqs
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await?
            .attributes
            .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
            .ok_or_else(|| anyhow!("queue {name} has no ARN"))?;
        resources
            .queues
            .insert(queue.logical_id.clone(), Queue { name, url, arn });
    }

    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(true)
            .build(),
    );
    for bucket in &template.buckets {
        // Bucket names are lower case and at most 63 characters.
        let name: String = format!("{prefix}-{bucket}")
            .to_lowercase()
            .chars()
            .take(63)
            .collect();
        s3.create_bucket()
            .bucket(&name)
            .send()
            .await
            .with_context(|| format!("create bucket {name}"))?;
        resources.buckets.insert(bucket.clone(), name);
    }

    let secrets = aws_sdk_secretsmanager::Client::new(sdk);
    for (logical_id, value) in &template.secrets {
        let name = format!("{prefix}-{logical_id}");
        let arn = secrets
            .create_secret()
            .name(&name)
            .secret_string(value)
            .send()
            .await
            .with_context(|| format!("create secret {name}"))?
            .arn
            .unwrap_or_default();
        resources.secrets.insert(logical_id.clone(), arn);
    }

    // The emulator's SES, like SES, sends only from a verified identity.
    let ses = aws_sdk_sesv2::Client::new(sdk);
    for identity in &template.mail_identities {
        let address = resources
            .resolve(identity)
            .ok_or_else(|| anyhow!("cannot resolve an EmailIdentity"))?;
        ses.create_email_identity()
            .email_identity(&address)
            .send()
            .await
            .with_context(|| format!("create email identity {address}"))?;
    }

    for bus in &template.buses {
        let name = format!("{prefix}-{bus}");
        let arn = events
            .create_event_bus()
            .name(&name)
            .send()
            .await
            .with_context(|| format!("create bus {name}"))?
            .event_bus_arn
            .unwrap_or_default();
        resources.buses.insert(bus.clone(), (name, arn));
    }

    for rule in &template.rules {
        let name = format!("{prefix}-{}", rule.logical_id);
        let bus = &resources
            .buses
            .get(&rule.bus)
            .ok_or_else(|| anyhow!("{}: unknown bus", rule.logical_id))?
            .0;
        events
            .put_rule()
            .name(&name)
            .event_bus_name(bus)
            .event_pattern(rule.pattern.to_string())
            .send()
            .await
            .with_context(|| format!("put rule {name}"))?;
        for (index, target) in rule.targets.iter().enumerate() {
            let arn = &resources
                .queues
                .get(target)
                .ok_or_else(|| anyhow!("{target} is not a queue"))?
                .arn;
            events
                .put_targets()
                .rule(&name)
                .event_bus_name(bus)
                .targets(
                    aws_sdk_eventbridge::types::Target::builder()
                        .id(format!("t{index}"))
                        .arn(arn)
                        .build()?,
                )
                .send()
                .await
                .with_context(|| format!("put targets of {name}"))?;
        }
    }
    Ok(resources)
}
