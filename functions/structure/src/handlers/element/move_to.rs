use fountain_events::catalog::ItemsReordered;
use fountain_http::{
    Access, ApiError, Body, Checks as FieldChecks, Problem, Request, Response, TableDeps, etag,
    json, optional_json_body, serve,
};
use fountain_scripts::access::Permission;
use fountain_sequence::OrderKey;

use super::{authorized_element, section_exists};
use crate::commit::{commit_plan, key_for, plan_placement, revision_after, sequence_after};
use crate::element::{ElementView, MoveElement};
use crate::element_store;
use crate::handlers::{order_conflict, shown};
use crate::model::{PlacementInput, sequence_problem};
use crate::order::{Basis, Siblings};

/// Moves one element: to a position, before or after another, or to the end, in its
/// section or in another section of the script (`sectionId`). Within a section it writes
/// one key whatever the section's size (after a rare rebalance of the neighbourhood).
#[utoipa::path(post, path = "/scripts/{scriptId}/elements/{elementId}/move", tag = "structure", operation_id = "move_element",
    params(("scriptId" = String, Path), ("elementId" = String, Path)),
    request_body(content = Option<MoveElement>, description = "Optional: without one, the element moves to the end of its section"),
    responses((status = 200, body = ElementView), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem, description = "Unknown element, anchor or section"),
        (status = 409, body = Problem, description = "The order changed meanwhile"), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn move_element(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: MoveElement = optional_json_body(&req, deps.max_body_bytes)?;
        FieldChecks::new()
            .comment(input.comment.as_deref())
            .finish()?;
        let to = PlacementInput {
            position: input.position,
            before: input.before.clone(),
            after: input.after.clone(),
        }
        .placement("position")?;
        let element = authorized_element(deps, &req, &ctx.principal, Permission::Write).await?;
        let target = input
            .section_id
            .clone()
            .unwrap_or_else(|| element.section_id.clone());
        let across = target != element.section_id;
        if across && !section_exists(&deps.table, &element.script_id, &target).await? {
            return Err(ApiError::NotFound("section"));
        }
        let siblings = Siblings::elements(&element.script_id, &target);
        let seen = siblings.settled_revision(&deps.table).await?;
        // Within a section the source is the target: its order state is read once.
        let seen_source = if across {
            element.siblings().settled_revision(&deps.table).await?
        } else {
            seen
        };
        let plan = plan_placement(&deps.table, &siblings, &element.element_id, &to, !across)
            .await?
            .map_err(|e| sequence_problem(e, "element"))?;
        let mut moved = element.clone();
        let Some(key) = key_for(&plan, &element.element_id) else {
            // Where it is already (in its own section): nothing to write.
            return shown(deps, &element).await;
        };
        moved.section_id = target.clone();
        moved.order_key = key.as_str().to_owned();
        let old_key = (!across)
            .then(|| OrderKey::parse(&element.order_key))
            .flatten();
        let sequence = sequence_after(
            &deps.table,
            &siblings,
            &plan,
            &element.element_id,
            old_key.as_ref(),
        )
        .await?;
        let event = ItemsReordered {
            parent_id: target.clone(),
            parent_type: "section".into(),
            script_id: element.script_id.clone(),
            moved: vec![element.element_id.clone()],
            from_parent_id: across.then(|| element.section_id.clone()),
            order_revision: revision_after(seen, &plan),
            comment: input.comment,
        };
        let envelope = ctx.envelope(&event)?;
        let user = &ctx.principal.user_id;
        let committed = if across {
            element_store::move_across(
                &deps.table,
                user,
                &element,
                &moved,
                seen_source,
                seen,
                &plan,
                &envelope,
            )
            .await
        } else {
            commit_plan(
                &deps.table,
                user,
                &siblings,
                Basis::Revision(seen),
                &plan,
                None,
                |tx| tx.event(&envelope),
            )
            .await
        };
        committed.map_err(order_conflict)?;
        json(200, &moved.view(sequence), Some(etag(moved.revision)))
    })
    .await
}
