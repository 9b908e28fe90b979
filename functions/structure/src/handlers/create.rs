use chrono::Utc;
use fountain_events::catalog::SectionAdded;
use fountain_events::ids::new_id;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, TableDeps, created, etag, json_body,
    path_param, serve,
};
use fountain_scripts::access::{Permission, authorize};
use fountain_sequence::{apply, plan_insert};

use super::order_conflict;
use crate::model::{CreateSection, MAX_KEY_WRITES, Section, SectionView, sequence_problem};
use crate::{order, store};

/// Adds a section at a position (or before/after another), at the end by default.
#[utoipa::path(post, path = "/scripts/{scriptId}/sections", tag = "structure", operation_id = "create_section",
    params(("scriptId" = String, Path)),
    request_body = CreateSection,
    responses((status = 201, body = SectionView), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "The order changed meanwhile"),
        (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_section(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(
        "create_section",
        Access::Authenticated,
        req,
        |ctx, req| async move {
            let script_id = path_param(&req, "scriptId")?;
            let input: CreateSection = json_body(&req, deps.max_body_bytes)?;
            let placement = input.validate()?;
            authorize(&deps.table, &script_id, &ctx.principal, Permission::Write).await?;
            let seen = order::revision(&deps.table, &script_id).await?;
            let siblings = order::sections(&deps.table, &script_id).await?;
            let section_id = new_id();
            let current = order::keyed(&siblings)?;
            let mut writes =
                plan_insert(&current, &section_id, &placement).map_err(sequence_problem)?;
            if writes.len() > MAX_KEY_WRITES {
                return Err(ApiError::Conflict(
                    "this script's sections need a rebalance larger than one transaction".into(),
                ));
            }
            let sequence = apply(&current, &writes)
                .iter()
                .position(|id| *id == section_id)
                .map_or(0, |i| i + 1);
            let Some(own) = writes
                .iter()
                .position(|w| w.id == section_id)
                .map(|i| writes.remove(i))
            else {
                return Err(ApiError::Internal(
                    "the plan has no key for the new section".into(),
                ));
            };
            let now = Utc::now();
            let section = Section {
                section_id,
                script_id,
                level: input.level,
                title: input.title.trim().to_owned(),
                revision: 1,
                created_at: now,
                updated_at: now,
                comment: input.comment.clone(),
                order_key: own.key.as_str().to_owned(),
            };
            let event = SectionAdded {
                section_id: section.section_id.clone(),
                script_id: section.script_id.clone(),
                level: section.level.as_str().into(),
                title: section.title.clone(),
                sequence,
                comment: input.comment,
            };
            store::add(
                &deps.table,
                &ctx.principal.user_id,
                &section,
                seen,
                &writes,
                &ctx.envelope(&event)?,
            )
            .await
            .map_err(order_conflict)?;
            let location = format!(
                "/scripts/{}/sections/{}",
                section.script_id, section.section_id
            );
            created(&location, &section.view(sequence), etag(section.revision))
        },
    )
    .await
}
