//! Reads and writes of paraphrases. Every write checks, in its transaction, that the script
//! still exists and the caller may still change it; a new paraphrase also checks that its
//! target is still there, so one cannot be added to a target deleted meanwhile.

use fountain_events::EventEnvelope;
use fountain_http::ApiError;
use fountain_scripts::access::{Permission, access_refused, allowed_transaction};
use fountain_store::{
    Cursor, CursorError, Expression, ItemCodec, LSI1, LSI1_SK, Label, PK, Page, PageError,
    StoreError, Table, keys, query_page, s, string_attribute,
};

use crate::listing::Listing;
use crate::model::Paraphrase;
use crate::target::{FoundTarget, Target, TargetType};

/// Why a paraphrase write was refused.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the script is gone")]
    ScriptGone,
    #[error("the target is gone")]
    UnknownTarget(Target),
    #[error("the paraphrase changed meanwhile")]
    Stale,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::ScriptGone => ApiError::NotFound("script"),
            WriteError::UnknownTarget(target) => unknown_target(&target),
            WriteError::Stale => {
                ApiError::PreconditionFailed("the paraphrase changed meanwhile".into())
            }
            WriteError::Store(store) => store.into(),
        }
    }
}

/// The answer to a paraphrase of something that is not (or no longer) in the script.
pub fn unknown_target(target: &Target) -> ApiError {
    ApiError::BadRequest(format!(
        "unknown target: this script has no {} {}",
        target.target_type.as_str(),
        target.id
    ))
}

/// The paraphrased target (or an element's section) is gone.
const TARGET_GONE: Label = Label::new("target gone");
/// The paraphrase is not at the revision a change is based on, or is gone.
const PARAPHRASE_CHANGED: Label = Label::new("paraphrase changed meanwhile");

/// What a refused transaction means; `target` is the one a new paraphrase checks.
fn classify(error: StoreError, target: Option<&Target>) -> WriteError {
    if access_refused(&error) {
        WriteError::ScriptGone
    } else if let Some(target) = target
        && error.refused(TARGET_GONE)
    {
        WriteError::UnknownTarget(target.clone())
    } else if error.refused(PARAPHRASE_CHANGED) {
        WriteError::Stale
    } else {
        WriteError::Store(error)
    }
}

pub async fn load(
    table: &Table,
    script_id: &str,
    paraphrase_id: &str,
) -> Result<Option<Paraphrase>, StoreError> {
    table
        .get_as::<Paraphrase>(&Paraphrase::pk(script_id), &Paraphrase::sk(paraphrase_id))
        .await
}

/// `target` as it is now in the script, when it is there: an element only while its
/// section exists (removing a section hides its elements).
pub async fn find_target(
    table: &Table,
    script_id: &str,
    target: &Target,
) -> Result<Option<FoundTarget>, StoreError> {
    if !target.is_well_formed() {
        return Ok(None);
    }
    let pk = Paraphrase::pk(script_id);
    let Some(item) = table.get(&pk, &target.sk()).await? else {
        return Ok(None);
    };
    let found = FoundTarget {
        script_id: script_id.to_owned(),
        target: target.clone(),
        section_id: None,
    };
    if target.target_type != TargetType::Element {
        return Ok(Some(found));
    }
    let section_id = string_attribute(&item, "sectionId")
        .ok_or_else(|| StoreError::Corrupt(format!("element {} has no section", target.id)))?;
    let section = table.get(&pk, &keys::section(section_id)).await?;
    Ok(section.map(|_| FoundTarget {
        section_id: Some(section_id.to_owned()),
        ..found
    }))
}

/// Adds `paraphrase` of `target`, refused when the target is gone since it was found.
pub async fn insert(
    table: &Table,
    user_id: &str,
    paraphrase: &Paraphrase,
    target: &FoundTarget,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    let mut tx = allowed_transaction(&paraphrase.script_id, user_id, Permission::Write);
    for (key, condition) in target.checks() {
        tx = tx.check(key, condition.labelled(TARGET_GONE));
    }
    tx.create(paraphrase.to_item()?)
        .event(event)?
        .commit(table)
        .await
        .map_err(|e| classify(e, Some(&target.target)))
}

/// Replaces `before` by `after` if it is still at the revision read.
pub async fn replace(
    table: &Table,
    user_id: &str,
    before: &Paraphrase,
    after: &Paraphrase,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    allowed_transaction(&after.script_id, user_id, Permission::Write)
        .put(
            after.to_item()?,
            Some(Expression::revision_is(before.revision).labelled(PARAPHRASE_CHANGED)),
        )
        .event(event)?
        .commit(table)
        .await
        .map_err(|e| classify(e, None))
}

pub async fn remove(
    table: &Table,
    user_id: &str,
    paraphrase: &Paraphrase,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    allowed_transaction(&paraphrase.script_id, user_id, Permission::Write)
        .delete(
            Table::key(
                Paraphrase::pk(&paraphrase.script_id),
                Paraphrase::sk(&paraphrase.paraphrase_id),
            ),
            Some(Expression::revision_is(paraphrase.revision).labelled(PARAPHRASE_CHANGED)),
        )
        .event(event)?
        .commit(table)
        .await
        .map_err(|e| classify(e, None))
}

/// One page of a script's paraphrases, or of one target's, in creation order (both
/// strongly consistent). A target that does not exist has none.
pub async fn list(
    table: &Table,
    script_id: &str,
    listing: &Listing,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<Paraphrase>, PageError> {
    let partition = Paraphrase::pk(script_id);
    if let Some(cursor) = cursor {
        continues(cursor, &partition, listing)?;
    }
    let (_, prefix) = listing.range();
    let query = match listing {
        Listing::All => table.query_prefix(&partition, &prefix),
        Listing::Of(target) if !target.is_well_formed() => {
            return Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            });
        }
        Listing::Of(_) => table
            .client
            .query()
            .table_name(&table.name)
            .index_name(LSI1)
            .key_condition_expression("pk = :pk AND begins_with(#by_target, :prefix)")
            .expression_attribute_names("#by_target", LSI1_SK)
            .expression_attribute_values(":pk", s(&partition))
            .expression_attribute_values(":prefix", s(&prefix))
            .consistent_read(true),
    };
    query_page(query, (PK, &partition), limit, cursor).await
}

/// A cursor continues only the listing that returned it: a key of its table or index, in its
/// range. Any other (another target's, or the whole script's) is a 400, where DynamoDB would
/// refuse it with an error of its own or continue elsewhere.
fn continues(cursor: &str, partition: &str, listing: &Listing) -> Result<(), CursorError> {
    let (attribute, prefix) = listing.range();
    Cursor::continues_listing(
        cursor,
        partition,
        attribute,
        &prefix,
        listing.key_attributes(),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn cursor(key: &[(&str, &str)]) -> String {
        let key: HashMap<_, _> = key.iter().map(|(k, v)| ((*k).to_owned(), s(*v))).collect();
        Cursor::encode(&key).unwrap()
    }

    #[test]
    fn a_cursor_continues_only_its_own_listing() {
        let partition = &keys::script("01JCX3ZK0M5V6Q7R8S9T0W1X2Y");
        let paraphrase = keys::paraphrase("01JCX4PARA000000000000000A");
        let mara = Target::new(TargetType::Character, "01JCX40A1B2C3D4E5F6G7H8J9K");
        let ben = Target::new(TargetType::Character, "01JCX40A1B2C3D4E5F6G7H8J9M");
        let all = cursor(&[("pk", partition), ("sk", &paraphrase)]);
        let of_mara = cursor(&[
            ("pk", partition),
            ("sk", &paraphrase),
            (
                "lsi1sk",
                &keys::paraphrase_target(
                    "character",
                    "01JCX40A1B2C3D4E5F6G7H8J9K",
                    "01JCX4PARA000000000000000A",
                ),
            ),
        ]);
        assert!(continues(&all, partition, &Listing::All).is_ok());
        assert!(continues(&of_mara, partition, &Listing::Of(mara.clone())).is_ok());
        assert!(continues(&of_mara, partition, &Listing::Of(ben)).is_err());
        assert!(continues(&of_mara, partition, &Listing::All).is_err());
        assert!(continues(&all, partition, &Listing::Of(mara.clone())).is_err());
        assert!(continues(&of_mara, &keys::script("other"), &Listing::Of(mara)).is_err());
        let characters = cursor(&[
            ("pk", partition),
            ("sk", &keys::character("01JCX40A1B2C3D4E5F6G7H8J9K")),
        ]);
        assert!(continues(&characters, partition, &Listing::All).is_err());
    }

    #[test]
    fn a_refused_write_names_the_rule_it_broke() {
        let failed = |label: Label| StoreError::Refused {
            labels: vec![label],
        };
        let target = Target::new(TargetType::Element, "01JCX40A1B2C3D4E5F6G7H8J9K");
        assert!(matches!(
            classify(failed(fountain_scripts::access::ACCESS_LOST), Some(&target)),
            WriteError::ScriptGone
        ));
        assert!(matches!(
            classify(failed(TARGET_GONE), Some(&target)),
            WriteError::UnknownTarget(t) if t == target
        ));
        assert!(matches!(
            classify(failed(PARAPHRASE_CHANGED), None),
            WriteError::Stale
        ));
        assert_eq!(
            ApiError::from(classify(failed(TARGET_GONE), Some(&target))).status(),
            400
        );
    }
}
