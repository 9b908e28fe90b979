//! The characters context's reaction to ScriptCreated (the script-created chain): the
//! script's initial cast is created, one character per name, each with its CharacterCreated
//! under the request's correlation id. A redelivery (or a name the owner added meanwhile)
//! finds the name taken and skips it, so each name becomes one character.

use chrono::{Duration, Utc};
use fountain_events::EventContext;
use fountain_events::catalog::{CharacterCreated, ScriptCreated};
use fountain_events::{EventEnvelope, ids::new_id};
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use fountain_store::StoreError;
use tracing::info;

use crate::model::Character;
use crate::store::{self, WriteError};

pub type CastDeps = ConsumerDeps;

pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<CastDeps, ConfigError> {
    ConsumerDeps::load(env, sdk, "create_initial_cast", Duration::minutes(5))
}

pub async fn create_initial_cast(
    deps: &CastDeps,
    delivered: Delivered<ScriptCreated>,
) -> Result<(), StoreError> {
    let script = delivered.event;
    let context = EventContext::caused_by(&delivered.envelope);
    let mut created = 0;
    for name in &script.cast {
        let now = Utc::now();
        let character = Character {
            character_id: new_id(),
            script_id: script.script_id.clone(),
            name: name.trim().to_owned(),
            description: None,
            revision: 1,
            created_at: now,
            updated_at: now,
            comment: Some("initial cast".to_owned()),
        };
        let event = CharacterCreated {
            character_id: character.character_id.clone(),
            script_id: character.script_id.clone(),
            name: character.name.clone(),
            description: None,
            revision: 1,
            comment: character.comment.clone(),
        };
        let envelope =
            EventEnvelope::new(&event, &context).map_err(|e| StoreError::Invalid(e.to_string()))?;
        match store::insert(&deps.table, &script.owner_id, &character, &envelope).await {
            Ok(()) => created += 1,
            Err(WriteError::NameTaken) => {}
            // Deleted (or no longer the owner's) before its cast came: nothing to add.
            Err(WriteError::ScriptGone) => break,
            Err(WriteError::Stale) => {}
            Err(WriteError::Store(e)) => return Err(e),
        }
    }
    info!(
        script_id = script.script_id,
        created,
        asked = script.cast.len(),
        "initial cast created"
    );
    Ok(())
}
