//! The SectionRemoved consumer: removing a section hides its elements at once (every read
//! checks the section); this deletes them afterwards. Each transaction deletes up to
//! [`DELETES_PER_TRANSACTION`] of them only while the section is still absent and no restore
//! holds the script, so a restore that brings the section back (with the very same
//! elements) stops the purge instead of losing them.

use chrono::Duration;
use fountain_events::catalog::SectionRemoved;
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use fountain_scripts::Script;
use fountain_scripts::access::UNLOCKED_SCRIPT;
use fountain_scripts::caps::Cap;
use fountain_store::{Expression, Item, LSI1, Label, StoreError, Table, Transaction, s};
use tracing::info;

use crate::model::Section;
use crate::order::Siblings;

/// Two checks (section absent, script unlocked) leave room for this many deletes.
const DELETES_PER_TRANSACTION: i32 = 98;

/// The consumer's table and its event claims.
pub type PurgeSectionDeps = ConsumerDeps;

/// `PurgeSectionDeps` from the environment.
pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<PurgeSectionDeps, ConfigError> {
    ConsumerDeps::load(env, sdk, "purge_section", Duration::minutes(5))
}

#[derive(Debug, thiserror::Error)]
pub enum PurgeSectionError {
    #[error(transparent)]
    Decode(#[from] fountain_events::DecodeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn purge_section(
    deps: &PurgeSectionDeps,
    delivered: Delivered<SectionRemoved>,
) -> Result<(), PurgeSectionError> {
    let removed = delivered.event;
    let (deleted, finished) = purge(&deps.table, &removed.script_id, &removed.section_id).await?;
    info!(
        script_id = removed.script_id,
        section_id = removed.section_id,
        deleted,
        finished,
        "removed section purged"
    );
    Ok(())
}

/// Deletes the elements of a removed section and its order revision. Returns how many
/// items went, and whether the purge finished (false: the section came back).
pub async fn purge(
    table: &Table,
    script_id: &str,
    section_id: &str,
) -> Result<(usize, bool), StoreError> {
    let siblings = Siblings::elements(script_id, section_id);
    let mut deleted = 0;
    loop {
        // One page per transaction, each read from the start: the page before is deleted.
        let output = table
            .client
            .query()
            .table_name(&table.name)
            .index_name(LSI1)
            .key_condition_expression("pk = :pk AND begins_with(lsi1sk, :prefix)")
            .expression_attribute_values(":pk", s(siblings.pk()))
            .expression_attribute_values(":prefix", s(siblings.order_sk("")))
            .projection_expression("pk, sk")
            .consistent_read(true)
            .limit(DELETES_PER_TRANSACTION)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        let keys: Vec<Item> = output.items.unwrap_or_default();
        let last = output.last_evaluated_key.is_none();
        let mut tx = guarded(script_id, section_id);
        for key in &keys {
            tx = tx.delete(key.clone(), None);
        }
        if last {
            tx = tx.delete(siblings.order_item_key(), None);
        }
        match tx.commit(table).await {
            Ok(()) => {
                deleted += keys.len() + usize::from(last);
                // After the commit: a crash in between leaves the count high by at most
                // one transaction's elements, which errs on the side of the cap.
                Cap::Elements
                    .uncount(table, script_id, keys.len() as u64)
                    .await?;
            }
            Err(error) if error.refused(SECTION_BACK) => {
                return Ok((deleted, false));
            }
            Err(other) => return Err(other),
        }
        if last {
            return Ok((deleted, true));
        }
    }
}

/// The section exists again (a restore brought it back): its elements are its own again.
const SECTION_BACK: Label = Label::new("section exists again");
/// A restore holds the script: the purge waits for it and is retried.
const SCRIPT_LOCKED: Label = Label::new("script held by a restore");

/// A transaction that commits only while the section is absent ([`SECTION_BACK`]) and no
/// restore holds the script ([`SCRIPT_LOCKED`]).
fn guarded(script_id: &str, section_id: &str) -> Transaction {
    Transaction::new()
        .check(
            Table::key(Script::pk(script_id), Section::sk(section_id)),
            Expression::absent().labelled(SECTION_BACK),
        )
        .check(
            Table::key(Script::pk(script_id), Script::SK),
            Expression::new(format!("attribute_not_exists(pk) OR ({UNLOCKED_SCRIPT})"))
                .labelled(SCRIPT_LOCKED),
        )
}
