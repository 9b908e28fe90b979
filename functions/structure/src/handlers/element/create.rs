use chrono::Utc;
use fountain_events::catalog::ElementAdded;
use fountain_events::ids::new_id;
use fountain_http::{
    Access, ApiError, Body, Checks as FieldChecks, Problem, Request, Response, TableDeps, created,
    etag, json_body, path_param, serve,
};
use fountain_scripts::access::{Permission, authorize};

use super::{character_exists, moved_meanwhile, refused, section_exists};
use crate::commit::{key_for, plan_placement, sequence_after};
use crate::element::{CreateElement, Element, ElementView};
use crate::element_store;
use crate::model::sequence_problem;
use crate::order::Siblings;

/// Adds an element to a section, at a position (or before/after another), at the end by
/// default. A dialogue's character must be one of the script's.
#[utoipa::path(post, path = "/scripts/{scriptId}/sections/{sectionId}/elements", tag = "structure", operation_id = "create_element",
    params(("scriptId" = String, Path), ("sectionId" = String, Path)),
    request_body = CreateElement,
    responses((status = 201, body = ElementView), (status = 400, body = Problem, description = "Unknown character"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "The order changed meanwhile"),
        (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_element(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let section_id = path_param(&req, "sectionId")?;
        let input: CreateElement = json_body(&req, deps.max_body_bytes)?;
        let content = input.content();
        content.validate()?;
        FieldChecks::new()
            .comment(input.comment.as_deref())
            .finish()?;
        let placement = input.placement().placement("position")?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Write).await?;
        if !section_exists(&deps.table, &script_id, &section_id).await? {
            return Err(ApiError::NotFound("section"));
        }
        character_exists(&deps.table, &script_id, content.character_id.as_deref()).await?;
        let siblings = Siblings::elements(&script_id, &section_id);
        let seen = siblings.settled_revision(&deps.table).await?;
        let element_id = new_id();
        let plan = plan_placement(&deps.table, &siblings, &element_id, &placement, false)
            .await?
            .map_err(|e| sequence_problem(e, "element"))?;
        let Some(key) = key_for(&plan, &element_id) else {
            return Err(ApiError::Internal(
                "the plan has no key for the new element".into(),
            ));
        };
        let sequence = sequence_after(&deps.table, &siblings, &plan, &element_id, None).await?;
        let now = Utc::now();
        let element = Element {
            element_id,
            script_id,
            section_id,
            content,
            revision: 1,
            created_at: now,
            updated_at: now,
            comment: input.comment.clone(),
            order_key: key.as_str().to_owned(),
        };
        let event = ElementAdded {
            element_id: element.element_id.clone(),
            script_id: element.script_id.clone(),
            section_id: element.section_id.clone(),
            kind: element.content.kind.as_str().into(),
            text: element.content.text.clone(),
            character_id: element.content.character_id.clone(),
            parenthetical: element.content.parenthetical.clone(),
            extension: element.content.extension.clone(),
            dual: element.content.dual,
            sequence,
            comment: input.comment,
        };
        element_store::add(
            &deps.table,
            &ctx.principal.user_id,
            &element,
            seen,
            &plan,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(|e| refused(e, moved_meanwhile()))?;
        let location = format!(
            "/scripts/{}/elements/{}",
            element.script_id, element.element_id
        );
        created(&location, &element.view(sequence), etag(element.revision))
    })
    .await
}
