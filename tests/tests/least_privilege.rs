//! Least privilege (decision 51): every function's table access in template.yaml is exactly
//! what its registry entry declares (`Function::needs`), granted only through the managed
//! policies of those needs: no SAM DynamoDB policy template, no inline DynamoDB statement, no
//! Scan but the reconciler's attribute-limited one, and identity's secret partitions denied
//! to every function that does not declare them.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use fountain_runtime::function::Need;
use serde_yaml_ng::Value;

fn template() -> Value {
    let text = std::fs::read_to_string(fountain_local::default_template()).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

/// The managed policy that grants each need (the deny of identity's secrets is the absence
/// of [`Need::Credentials`]).
fn policy_of(need: Need) -> Option<&'static str> {
    match need {
        Need::ReadsTable => Some("AppTableReads"),
        Need::WritesTable => Some("AppTableWrites"),
        Need::SweepsTable => Some("AppTableSweep"),
        Need::ReadsEvents => Some("EventStoreReads"),
        Need::WritesEvents => Some("EventStoreWrites"),
        Need::Credentials => None,
    }
}

const NO_SECRETS: &str = "NoIdentitySecrets";

/// Each function's policy list, by binary name.
fn function_policies(root: &Value) -> BTreeMap<String, Vec<Value>> {
    root["Resources"]
        .as_mapping()
        .unwrap()
        .values()
        .filter(|r| r["Type"].as_str() == Some("AWS::Serverless::Function"))
        .map(|r| {
            let binary = r["Metadata"]["BuildProperties"]["Binary"]
                .as_str()
                .unwrap()
                .to_owned();
            let policies = r["Properties"]["Policies"]
                .as_sequence()
                .cloned()
                .unwrap_or_default();
            (binary, policies)
        })
        .collect()
}

fn managed(policies: &[Value]) -> BTreeSet<String> {
    policies
        .iter()
        .filter_map(|p| p["Ref"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn each_function_is_granted_exactly_the_table_access_its_registry_entry_declares() {
    let root = template();
    let granted = function_policies(&root);
    let mut checked = 0;
    for function in fountain_registry::functions() {
        let policies = granted
            .get(function.name)
            .unwrap_or_else(|| panic!("{} has no function in template.yaml", function.name));
        let refs = managed(policies);
        let needs: BTreeSet<Need> = function.needs.iter().copied().collect();
        let expected: BTreeSet<String> = needs
            .iter()
            .filter_map(|need| policy_of(*need).map(str::to_owned))
            .chain(
                (!needs.contains(&Need::Credentials)
                    && (needs.contains(&Need::ReadsTable) || needs.contains(&Need::WritesTable)))
                .then(|| NO_SECRETS.to_owned()),
            )
            .collect();
        let table_refs: BTreeSet<String> = refs
            .iter()
            .filter(|r| {
                [
                    "AppTableReads",
                    "AppTableWrites",
                    "AppTableSweep",
                    "EventStoreReads",
                    "EventStoreWrites",
                    NO_SECRETS,
                ]
                .contains(&r.as_str())
            })
            .cloned()
            .collect();
        assert_eq!(
            table_refs, expected,
            "{}: the template's table policies (left) and the registry's needs {needs:?} (right)",
            function.name
        );
        for policy in policies {
            let text = serde_yaml_ng::to_string(policy).unwrap();
            assert!(
                !text.contains("DynamoDB") && !text.contains("dynamodb:"),
                "{}: table access only through the managed policies, not {text}",
                function.name
            );
        }
        checked += 1;
    }
    assert_eq!(
        checked,
        granted.len(),
        "every function of the template is in the registry"
    );
}

#[test]
fn only_identity_holds_the_secrets_and_only_the_reconciler_scans() {
    let mut holders = BTreeSet::new();
    let mut sweepers = BTreeSet::new();
    for function in fountain_registry::functions() {
        if function.needs.contains(&Need::Credentials) {
            holders.insert(function.name);
        }
        if function.needs.contains(&Need::SweepsTable) {
            sweepers.insert(function.name);
        }
    }
    let identity: BTreeSet<&str> = fountain_identity::FUNCTIONS
        .iter()
        .filter(|f| f.needs.contains(&Need::Credentials))
        .map(|f| f.name)
        .collect();
    // The mailer mints the tokens it sends (decision 47), so it writes mailed tokens too; the
    // live API's `$connect` verifies tokens as the authorizer does, revocation bound included.
    let others: BTreeSet<&str> = holders.difference(&identity).copied().collect();
    assert_eq!(others, BTreeSet::from(["live_connect", "send_email"]));
    assert_eq!(sweepers, BTreeSet::from(["reconcile"]));
}

#[test]
fn the_managed_policies_grant_what_their_names_say() {
    let root = template();
    let statements = |id: &str| -> Vec<Value> {
        root["Resources"][id]["Properties"]["PolicyDocument"]["Statement"]
            .as_sequence()
            .unwrap_or_else(|| panic!("no managed policy {id}"))
            .clone()
    };
    let actions = |statement: &Value| -> BTreeSet<String> {
        match &statement["Action"] {
            Value::String(one) => BTreeSet::from([one.clone()]),
            Value::Sequence(many) => many
                .iter()
                .map(|a| a.as_str().unwrap().to_owned())
                .collect(),
            other => panic!("an Action of {other:?}"),
        }
    };
    let reads = BTreeSet::from(
        [
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "dynamodb:ConditionCheckItem",
        ]
        .map(str::to_owned),
    );
    let writes = BTreeSet::from(
        [
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
        ]
        .map(str::to_owned),
    );
    assert_eq!(actions(&statements("AppTableReads")[0]), reads);
    assert_eq!(actions(&statements("AppTableWrites")[0]), writes);
    assert_eq!(actions(&statements("EventStoreWrites")[0]), writes);
    let event_reads: BTreeSet<String> = reads
        .iter()
        .filter(|a| *a != "dynamodb:ConditionCheckItem")
        .cloned()
        .collect();
    assert_eq!(actions(&statements("EventStoreReads")[0]), event_reads);

    // The deny names every prefix of identity's secrets, as the key module lists them.
    let deny = &statements(NO_SECRETS)[0];
    assert_eq!(deny["Effect"].as_str(), Some("Deny"));
    let denied: BTreeSet<String> =
        deny["Condition"]["ForAnyValue:StringLike"]["dynamodb:LeadingKeys"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_owned())
            .collect();
    let secret: BTreeSet<String> = fountain_store::keys::CREDENTIAL_PREFIXES
        .iter()
        .map(|prefix| {
            if prefix.ends_with('#') {
                format!("{prefix}*")
            } else {
                (*prefix).to_owned()
            }
        })
        .collect();
    assert_eq!(denied, secret);

    // The sweep's Scan returns only the attributes the reconciler reads.
    let sweep = &statements("AppTableSweep")[0];
    assert_eq!(actions(sweep), BTreeSet::from(["dynamodb:Scan".to_owned()]));
    let allowed: BTreeSet<String> =
        sweep["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect();
    let swept: BTreeSet<String> = fountain_reconciliation::sweep::swept_attributes()
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(allowed, swept);
    assert_eq!(
        sweep["Condition"]["StringEquals"]["dynamodb:Select"].as_str(),
        Some("SPECIFIC_ATTRIBUTES")
    );
}
