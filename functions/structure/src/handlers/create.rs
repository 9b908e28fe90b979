use chrono::Utc;
use fountain_events::DomainEvent;
use fountain_events::catalog::{ElementAdded, SectionAdded};
use fountain_events::ids::new_id;
use fountain_http::{
    Access, ApiError, Body, Checks, Ctx, Problem, Request, Response, TableDeps, created, etag,
    json_body, serve,
};
use fountain_scripts::access::Permission;
use fountain_sequence::Placement;

use super::element::character_exists;
use super::kind::{Kind, Parent};
use super::order_conflict;
use crate::commit::{key_for, plan_placement, sequence_after};
use crate::element::{CreateElement, Element, ElementView};
use crate::model::{CreateSection, Section, SectionView, sequence_problem};
use crate::store;
use fountain_scripts::caps::CAP_REACHED;

/// Adds a section at a position (or before/after another), at the end by default.
#[utoipa::path(post, path = "/scripts/{scriptId}/sections", tag = "structure", operation_id = "create_section",
    params(("scriptId" = String, Path)),
    request_body = CreateSection,
    responses((status = 201, body = SectionView), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "The order changed meanwhile"),
        (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_section(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: CreateSection = json_body(&req, deps.max_body_bytes)?;
        let placement = input.validate()?;
        let parent = Section::parent(deps, &req, &ctx.principal, Permission::Write).await?;
        let new = |section_id, order_key| {
            let now = Utc::now();
            Section {
                section_id,
                script_id: parent.siblings.script_id.clone(),
                level: input.level,
                title: input.title.trim().to_owned(),
                revision: 1,
                created_at: now,
                updated_at: now,
                comment: input.comment.clone(),
                order_key,
            }
        };
        let added = |section: &Section, sequence| SectionAdded {
            section_id: section.section_id.clone(),
            script_id: section.script_id.clone(),
            level: section.level.as_str().into(),
            title: section.title.clone(),
            sequence,
            comment: section.comment.clone(),
        };
        add(deps, &ctx, &parent, &placement, new, added).await
    })
    .await
}

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
        let input: CreateElement = json_body(&req, deps.max_body_bytes)?;
        let content = input.content();
        content.validate()?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        let placement = input.placement().placement("position")?;
        let parent = Element::parent(deps, &req, &ctx.principal, Permission::Write).await?;
        let script_id = &parent.siblings.script_id;
        character_exists(&deps.table, script_id, content.character_id.as_deref()).await?;
        let new = |element_id, order_key| {
            let now = Utc::now();
            Element {
                element_id,
                script_id: script_id.clone(),
                section_id: parent.id.clone(),
                content,
                revision: 1,
                created_at: now,
                updated_at: now,
                comment: input.comment.clone(),
                order_key,
            }
        };
        let added = |element: &Element, sequence| ElementAdded {
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
            comment: element.comment.clone(),
        };
        add(deps, &ctx, &parent, &placement, new, added).await
    })
    .await
}

/// Adds a child at `placement` among the children of `parent` (access and input checked):
/// `new` makes it of its id and order key, `added` its event of it and its sequence number.
async fn add<C: Kind, E: DomainEvent + Send>(
    deps: &TableDeps,
    ctx: &Ctx,
    parent: &Parent,
    placement: &Placement,
    new: impl FnOnce(String, String) -> C + Send,
    added: impl FnOnce(&C, usize) -> E + Send,
) -> Result<Response<Body>, ApiError> {
    let siblings = &parent.siblings;
    let seen = siblings.settled_revision(&deps.table).await?;
    let id = new_id();
    let plan = plan_placement(&deps.table, siblings, &id, placement, false)
        .await?
        .map_err(|e| sequence_problem(e, C::NAME))?;
    let Some(key) = key_for(&plan, &id) else {
        return Err(ApiError::Internal(format!(
            "the plan has no key for the new {}",
            C::NAME
        )));
    };
    let order_key = key.as_str().to_owned();
    let sequence = sequence_after(&deps.table, siblings, &plan, &id, None).await?;
    let child = new(id, order_key);
    let event = added(&child, sequence);
    let max = match child.cap() {
        Some(cap) => cap.max(&deps.table).await?,
        None => u64::MAX,
    };
    store::add(
        &deps.table,
        &ctx.principal.user_id,
        &child,
        seen,
        &plan,
        max,
        &ctx.envelope(&event)?,
    )
    .await
    .map_err(|error| match child.cap() {
        Some(cap) if error.refused(CAP_REACHED) => cap.reached(max),
        _ => order_conflict(error),
    })?;
    created(
        &child.location(),
        &child.view(sequence),
        etag(child.revision()),
    )
}
