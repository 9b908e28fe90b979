use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The descriptive fields of a script, as of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptFields {
    pub title: String,
    pub author: Option<String>,
    pub description: Option<String>,
}

/// Version 2: with what the creator asked to happen next (the initial `cast`, and whether to
/// `generate` a first story), which the characters and generation contexts react to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptCreated {
    pub script_id: String,
    pub owner_id: String,
    pub revision: u64,
    #[serde(flatten)]
    pub fields: ScriptFields,
    pub comment: Option<String>,
    /// Names of the characters to create (each once, ignoring case).
    pub cast: Vec<String>,
    /// Whether a first generation job is to be queued.
    pub generate: bool,
}
domain_event!(ScriptCreated, version: 2, upcast: script_created_v2,
    source: "fountain.scripts", aggregate: "Script", id: script_id,
    "A script was created by its owner, with an optional initial cast and first generation (version 2).");

/// Version 1 had no `cast` and no `generate`: a script created then asked for neither.
pub fn script_created_v2(version: u32, mut data: serde_json::Value) -> Option<serde_json::Value> {
    match version {
        1 => {
            let fields = data.as_object_mut()?;
            fields.insert("cast".to_owned(), serde_json::json!([]));
            fields.insert("generate".to_owned(), serde_json::json!(false));
            Some(data)
        }
        2 => Some(data),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptUpdated {
    pub script_id: String,
    pub revision: u64,
    /// The script's fields after the change.
    #[serde(flatten)]
    pub fields: ScriptFields,
    /// Names of the fields the change touched.
    pub changed: Vec<String>,
    pub comment: Option<String>,
}
domain_event!(ScriptUpdated, source: "fountain.scripts", aggregate: "Script", id: script_id,
    "A script's title, author or description changed.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptDeleted {
    pub script_id: String,
    /// The last revision the script had.
    pub revision: u64,
    pub comment: Option<String>,
}
domain_event!(ScriptDeleted, source: "fountain.scripts", aggregate: "Script", id: script_id,
    "A script was deleted; everything it owned is purged after it.");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogEvent, EventContext, EventEnvelope};

    #[test]
    fn a_version_1_script_created_reads_as_version_2_and_an_unknown_version_not_at_all() {
        let v2 = ScriptCreated {
            script_id: "S".into(),
            owner_id: "alice".into(),
            revision: 1,
            fields: ScriptFields {
                title: "T".into(),
                author: None,
                description: None,
            },
            comment: None,
            cast: vec!["MARA".into()],
            generate: true,
        };
        let mut envelope = EventEnvelope::new(&v2, &EventContext::default()).unwrap();
        assert_eq!(envelope.version, 2);
        envelope.version = 1;
        let data = envelope.data.as_object_mut().unwrap();
        data.remove("cast");
        data.remove("generate");
        let CatalogEvent::ScriptCreated(read) = CatalogEvent::decode(&envelope).unwrap() else {
            panic!("decoded as another event");
        };
        assert_eq!(read.cast, Vec::<String>::new());
        assert!(!read.generate);
        envelope.version = 3;
        assert!(CatalogEvent::decode(&envelope).is_err());
    }
}
