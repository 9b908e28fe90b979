use super::order_conflict;
use crate::commit::{key_for, plan_placement, sequence_after};
use crate::model::{CreateSection, Section, SectionView, sequence_problem};
use crate::order::Siblings;
use crate::store;
use chrono::Utc;
use fountain_events::catalog::SectionAdded;
use fountain_events::ids::new_id;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, TableDeps, created, etag, json_body,
    path_param, serve,
};
use fountain_scripts::access::{Permission, authorize};

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
        let script_id = path_param(&req, "scriptId")?;
        let input: CreateSection = json_body(&req, deps.max_body_bytes)?;
        let placement = input.validate()?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Write).await?;
        let siblings = Siblings::sections(&script_id);
        let seen = siblings.settled_revision(&deps.table).await?;
        let section_id = new_id();
        let plan = plan_placement(&deps.table, &siblings, &section_id, &placement, false)
            .await?
            .map_err(|e| sequence_problem(e, "section"))?;
        let Some(own) = key_for(&plan, &section_id) else {
            return Err(ApiError::Internal(
                "the plan has no key for the new section".into(),
            ));
        };
        let sequence = sequence_after(&deps.table, &siblings, &plan, &section_id, None).await?;
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
            order_key: own.as_str().to_owned(),
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
            &plan,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(order_conflict)?;
        let location = format!(
            "/scripts/{}/sections/{}",
            section.script_id, section.section_id
        );
        created(&location, &section.view(sequence), etag(section.revision))
    })
    .await
}
