use chrono::Utc;
use fountain_events::EventEnvelope;
use fountain_events::catalog::{ElementUpdated, SectionUpdated};
use fountain_http::{
    Access, ApiError, Body, Checks, Ctx, Principal, Problem, Request, Response, TableDeps,
    json_body, require_if_match, serve,
};
use fountain_scripts::access::Permission;

use super::element::character_exists;
use super::kind::Kind;
use super::{refused, shown};
use crate::element::{Element, ElementView, UpdateElement};
use crate::model::{Section, SectionView, UpdateSection};
use crate::store;

/// Changes a section's level or title; needs If-Match with its ETag.
#[utoipa::path(patch, path = "/scripts/{scriptId}/sections/{sectionId}", tag = "structure", operation_id = "update_section",
    params(("scriptId" = String, Path), ("sectionId" = String, Path), ("If-Match" = String, Header)),
    request_body = UpdateSection,
    responses((status = 200, body = SectionView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_section(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: UpdateSection = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        let before: Section = matched(deps, &req, &ctx.principal).await?;
        let (mut after, changed) = input.apply(&before);
        after.revision += 1;
        after.updated_at = Utc::now();
        after.comment = input.comment;
        let event = SectionUpdated {
            section_id: after.section_id.clone(),
            script_id: after.script_id.clone(),
            level: after.level.as_str().into(),
            title: after.title.clone(),
            revision: after.revision,
            changed,
            comment: after.comment.clone(),
        };
        replaced(deps, &ctx, &before, &after, &ctx.envelope(&event)?).await
    })
    .await
}

/// Changes an element's content (its kind too); needs If-Match with its ETag. The result
/// must be a valid element of its kind.
#[utoipa::path(patch, path = "/scripts/{scriptId}/elements/{elementId}", tag = "structure", operation_id = "update_element",
    params(("scriptId" = String, Path), ("elementId" = String, Path), ("If-Match" = String, Header)),
    request_body = UpdateElement,
    responses((status = 200, body = ElementView), (status = 400, body = Problem, description = "Unknown character"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem), (status = 428, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_element(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: UpdateElement = json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        let before: Element = matched(deps, &req, &ctx.principal).await?;
        let (content, changed) = input.apply(&before.content);
        content.validate()?;
        if changed.iter().any(|field| field == "characterId") {
            let character_id = content.character_id.as_deref();
            character_exists(&deps.table, &before.script_id, character_id).await?;
        }
        let mut after = before.clone();
        after.content = content;
        after.revision += 1;
        after.updated_at = Utc::now();
        after.comment = input.comment;
        let event = ElementUpdated {
            element_id: after.element_id.clone(),
            script_id: after.script_id.clone(),
            section_id: after.section_id.clone(),
            kind: after.content.kind.as_str().into(),
            text: after.content.text.clone(),
            character_id: after.content.character_id.clone(),
            parenthetical: after.content.parenthetical.clone(),
            extension: after.content.extension.clone(),
            dual: after.content.dual,
            revision: after.revision,
            changed,
            comment: after.comment.clone(),
        };
        replaced(deps, &ctx, &before, &after, &ctx.envelope(&event)?).await
    })
    .await
}

/// The child the path names, for a change based on the revision If-Match names.
async fn matched<C: Kind>(
    deps: &TableDeps,
    req: &Request,
    principal: &Principal,
) -> Result<C, ApiError> {
    let if_match = require_if_match(req)?;
    let child = C::authorized(deps, req, principal, Permission::Write).await?;
    if_match.check(child.revision(), C::NAME)?;
    Ok(child)
}

/// Writes `after` over `before` with its event, if `before` is still as it was read, and
/// answers with `after`.
async fn replaced<C: Kind>(
    deps: &TableDeps,
    ctx: &Ctx,
    before: &C,
    after: &C,
    event: &EventEnvelope,
) -> Result<Response<Body>, ApiError> {
    store::replace(&deps.table, &ctx.principal.user_id, before, after, event)
        .await
        .map_err(|e| {
            let changed = format!("the {} changed meanwhile", C::NAME);
            refused(e, ApiError::PreconditionFailed(changed))
        })?;
    shown(deps, after).await
}
