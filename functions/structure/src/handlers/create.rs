use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use chrono::Utc;
use fountain_events::DomainEvent;
use fountain_events::catalog::{ElementAdded, SectionAdded};
use fountain_events::ids::new_id;
use fountain_http::{
    Access, ApiError, Body, Checks, Ctx, Problem, Request, Response, TableDeps, created, etag,
    json_body, serve,
};
use fountain_scripts::access::Permission;
use fountain_sequence::{OrderKey, Placement, SALT_BYTES};
use fountain_store::StoreError;
use tracing::{info, warn};

use super::element::character_exists;
use super::kind::{Kind, Parent};
use super::order_conflict;
use crate::commit::{key_for, plan_new, sequence_after};
use crate::element::{CreateElement, Element, ElementView};
use crate::model::{CreateSection, Section, SectionView, sequence_problem};
use crate::order::Basis;
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
                content: content.clone(),
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

/// Attempts an insert makes before it answers 409: each lost race re-reads the neighbours.
/// Inserts into gaps do not race one another, so only a rebalance, a move of the anchor or
/// DynamoDB cancelling transactions that ran into each other come back here.
const INSERT_ATTEMPTS: u32 = 8;

/// Adds a child at `placement` among the children of `parent` (access and input checked):
/// `new` makes it of its id and order key, `added` its event of it and its sequence number.
/// A lost race with a co-writer is retried here, not left to the client.
async fn add<C: Kind, E: DomainEvent + Send>(
    deps: &TableDeps,
    ctx: &Ctx,
    parent: &Parent,
    placement: &Placement,
    new: impl Fn(String, String) -> C + Send,
    added: impl Fn(&C, usize) -> E + Send,
) -> Result<Response<Body>, ApiError> {
    let id = new_id();
    let mut anchor = None;
    let mut attempt = 1;
    loop {
        match try_add(deps, ctx, parent, placement, &id, &mut anchor, &new, &added).await? {
            Ok(response) => {
                if attempt > 1 {
                    info!(attempt, id, "inserted after lost races");
                }
                return Ok(response);
            }
            Err(lost) if attempt >= INSERT_ATTEMPTS => {
                warn!(attempt, error = %lost, "insert gave up after lost races");
                return Err(order_conflict(lost));
            }
            Err(_) => {
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
            }
        }
    }
}

/// A short, jittered pause that grows with the attempt, so racers spread out.
fn backoff(attempt: u32) -> Duration {
    let ceiling = 10u64 << attempt.min(6);
    let jitter = RandomState::new().hash_one(attempt) % ceiling;
    Duration::from_millis(ceiling / 2 + jitter / 2)
}

/// One attempt of [`add`]: the answer, or the lost race to retry. `anchor` is where the
/// first attempt found the sibling the placement names: if a retry finds it elsewhere, it
/// moved meanwhile, and "before it" no longer means what the writer saw (409).
#[allow(clippy::too_many_arguments)]
async fn try_add<C: Kind, E: DomainEvent + Send>(
    deps: &TableDeps,
    ctx: &Ctx,
    parent: &Parent,
    placement: &Placement,
    id: &str,
    anchor: &mut Option<(String, OrderKey)>,
    new: &(impl Fn(String, String) -> C + Send),
    added: &(impl Fn(&C, usize) -> E + Send),
) -> Result<Result<Response<Body>, StoreError>, ApiError> {
    let siblings = &parent.siblings;
    let seen = siblings.settled_revision(&deps.table).await?;
    let (plan, basis) = plan_new(&deps.table, siblings, id, placement, seen, salt())
        .await?
        .map_err(|e| sequence_problem(e, C::NAME))?;
    if let Basis::Gap(Some(found)) = &basis {
        match anchor {
            Some(first) if first != found => {
                return Err(ApiError::Conflict(format!(
                    "the sibling {} was moved meanwhile; read the order again and retry",
                    found.0
                )));
            }
            Some(_) => {}
            None => *anchor = Some(found.clone()),
        }
    }
    let Some(key) = key_for(&plan, id) else {
        return Err(ApiError::Internal(format!(
            "the plan has no key for the new {}",
            C::NAME
        )));
    };
    let order_key = key.as_str().to_owned();
    let sequence = sequence_after(&deps.table, siblings, &plan, id, None).await?;
    let child = new(id.to_owned(), order_key);
    let event = added(&child, sequence);
    let max = match child.cap() {
        Some(cap) => cap.max(&deps.table).await?,
        None => u64::MAX,
    };
    let stored = store::add(
        &deps.table,
        &ctx.principal.user_id,
        &child,
        basis,
        &plan,
        max,
        &ctx.envelope(&event)?,
    )
    .await;
    match stored {
        Ok(()) => Ok(Ok(created(
            &child.location(),
            &child.view(sequence),
            etag(child.revision()),
        )?)),
        Err(error) if Basis::lost_race(&error) => Ok(Err(error)),
        Err(error) => Err(match child.cap() {
            Some(cap) if error.refused(CAP_REACHED) => cap.reached(max),
            _ => order_conflict(error),
        }),
    }
}

/// Random digits for a new child's order key: co-writers inserting into one gap at the
/// same moment get distinct keys (std's hasher keys are random per process and per call).
fn salt() -> [u8; SALT_BYTES] {
    let random = RandomState::new().hash_one(new_id()).to_be_bytes();
    let mut salt = [0; SALT_BYTES];
    salt.copy_from_slice(&random[..SALT_BYTES]);
    salt
}
