//! One handler per API operation, each the whole of one Lambda function.

mod create;
mod diff;
mod get;
mod list;
mod restore;

pub use create::*;
pub use diff::*;
pub use get::*;
pub use list::*;
pub use restore::*;

use fountain_http::{ApiError, Principal, Request, TableDeps, path_param};
use fountain_scripts::access::{Permission, authorize};

use crate::model::Version;
use crate::snapshot::Contents;
use crate::store;

/// The version named by the path, when the caller may do what `need` says in its script.
async fn authorized_version(
    deps: &TableDeps,
    req: &Request,
    principal: &Principal,
    need: Permission,
) -> Result<Version, ApiError> {
    let script_id = path_param(req, "scriptId")?;
    let version_id = path_param(req, "versionId")?;
    authorize(&deps.table, &script_id, principal, need).await?;
    load_version(deps, &script_id, &version_id).await
}

async fn load_version(
    deps: &TableDeps,
    script_id: &str,
    version_id: &str,
) -> Result<Version, ApiError> {
    store::load(&deps.table, script_id, version_id)
        .await?
        .ok_or(ApiError::NotFound("version"))
}

/// The script as `version` holds it.
async fn contents(deps: &TableDeps, version: &Version) -> Result<Contents, ApiError> {
    Ok(store::snapshot(&deps.table, version).await?.contents()?)
}
