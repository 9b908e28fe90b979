use chrono::Utc;
use fountain_events::catalog::ElementUpdated;
use fountain_http::{
    Access, ApiError, Body, Checks as FieldChecks, Problem, Request, Response, TableDeps, etag,
    json, json_body, require_if_match, serve,
};
use fountain_scripts::access::Permission;

use super::{authorized_element, character_exists, refused};
use crate::element::{ElementView, UpdateElement};
use crate::element_store;

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
        FieldChecks::new()
            .comment(input.comment.as_deref())
            .finish()?;
        let if_match = require_if_match(&req)?;
        let before = authorized_element(deps, &req, &ctx.principal, Permission::Write).await?;
        if_match.check(before.revision, "element")?;
        let (content, changed) = input.apply(&before.content);
        content.validate()?;
        if changed.iter().any(|field| field == "characterId") {
            character_exists(
                &deps.table,
                &before.script_id,
                content.character_id.as_deref(),
            )
            .await?;
        }
        let mut after = before.clone();
        after.content = content;
        after.revision += 1;
        after.updated_at = Utc::now();
        after.comment = input.comment.clone();
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
            comment: input.comment,
        };
        element_store::replace(
            &deps.table,
            &ctx.principal.user_id,
            &before,
            &after,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(|e| {
            refused(
                e,
                ApiError::PreconditionFailed("the element changed meanwhile".into()),
            )
        })?;
        let sequence = after
            .siblings()
            .sequence_of(&deps.table, &after.element_id, &after.order_key)
            .await?;
        json(200, &after.view(sequence), Some(etag(after.revision)))
    })
    .await
}
