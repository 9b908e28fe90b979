//! One handler per API operation, each the whole of one Lambda function.

mod create;
mod delete;
mod get;
mod list;
mod update;

pub use create::*;
pub use delete::*;
pub use get::*;
pub use list::*;
pub use update::*;

use fountain_http::{ApiError, Principal, Request, path_param};
use fountain_scripts::access::{Permission, authorize};

use crate::Deps;
use crate::model::Paraphrase;
use crate::store;

/// The paraphrase named by the path, when the caller may do what `need` says in its script.
async fn authorized_paraphrase(
    deps: &Deps,
    req: &Request,
    principal: &Principal,
    need: Permission,
) -> Result<Paraphrase, ApiError> {
    let script_id = path_param(req, "scriptId")?;
    let paraphrase_id = path_param(req, "paraphraseId")?;
    authorize(&deps.table, &script_id, principal, need).await?;
    store::load(&deps.table, &script_id, &paraphrase_id)
        .await?
        .ok_or(ApiError::NotFound("paraphrase"))
}
