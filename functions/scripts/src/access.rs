//! Who may touch a script and what lives under it. Until per-script roles exist, the owner
//! alone; anyone else gets 404, never a hint that the script exists.

use fountain_http::{ApiError, Principal};
use fountain_store::{Expression, Item, Table, s};

use crate::model::Script;
use crate::store;

/// The script, when the caller may use it.
pub async fn authorize(
    table: &Table,
    script_id: &str,
    principal: &Principal,
) -> Result<Script, ApiError> {
    match store::load(table, script_id).await? {
        Some(script) if script.owner_id == principal.user_id => Ok(script),
        _ => Err(ApiError::NotFound("script")),
    }
}

/// A transaction condition: the script still exists and still belongs to `owner_id`, so a
/// change under a script cannot commit after the script was deleted.
pub fn still_owned(script_id: &str, owner_id: &str) -> (Item, Expression) {
    (
        Table::key(Script::pk(script_id), Script::SK),
        Expression::new("attribute_exists(pk) AND ownerId = :owner").value(":owner", s(owner_id)),
    )
}
