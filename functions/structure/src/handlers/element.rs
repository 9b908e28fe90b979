//! What only elements have: the move (within or across sections), the read of one element
//! with its section's check, and the check of a dialogue's character.

mod move_to;

pub use move_to::*;

use fountain_http::{ApiError, Principal, Request, TableDeps, path_param};
use fountain_scripts::Script;
use fountain_scripts::access::{Permission, authorize};
use fountain_store::{ItemCodec, StoreError, Table, keys};

use crate::element::Element;
use crate::model::Section;

/// The element named by the path, when the caller may do what `need` says in its script.
/// An element whose section was removed is gone with it.
pub(super) async fn authorized_element(
    deps: &TableDeps,
    req: &Request,
    principal: &Principal,
    need: Permission,
) -> Result<Element, ApiError> {
    let script_id = path_param(req, "scriptId")?;
    let element_id = path_param(req, "elementId")?;
    // The element is read beside the access check (one round trip); it is used only once
    // the check has passed.
    let (pk, sk) = (Script::pk(&script_id), keys::element(&element_id));
    let read_element = async {
        // Only a ULID names an element; anything else is never looked up.
        if fountain_events::ids::is_id(&element_id) {
            deps.table.get(&pk, &sk).await
        } else {
            Ok(None)
        }
    };
    let (allowed, element) = tokio::join!(
        authorize(&deps.table, &script_id, principal, need),
        read_element
    );
    allowed?;
    let element = element?
        .map(Element::from_item)
        .transpose()?
        .ok_or(ApiError::NotFound("element"))?;
    section_exists(&deps.table, &script_id, &element.section_id)
        .await?
        .then_some(element)
        .ok_or(ApiError::NotFound("element"))
}

pub(super) async fn section_exists(
    table: &Table,
    script_id: &str,
    section_id: &str,
) -> Result<bool, StoreError> {
    Ok(table
        .get(&Script::pk(script_id), &Section::sk(section_id))
        .await?
        .is_some())
}

/// A dialogue's character must be one of the script's.
pub(super) async fn character_exists(
    table: &Table,
    script_id: &str,
    character_id: Option<&str>,
) -> Result<(), ApiError> {
    let Some(character_id) = character_id else {
        return Ok(());
    };
    let found = table
        .get(
            &Script::pk(script_id),
            &fountain_characters::Character::sk(character_id),
        )
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(ApiError::BadRequest(format!(
            "characterId {character_id} is not a character of this script"
        ))),
    }
}
