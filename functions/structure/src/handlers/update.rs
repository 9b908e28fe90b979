use chrono::Utc;
use fountain_events::catalog::SectionUpdated;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, TableDeps, etag, json, json_body,
    require_if_match, serve,
};
use fountain_scripts::access::Permission;

use super::{authorized_section, refused};
use crate::model::{SectionView, UpdateSection};
use crate::order::Siblings;
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
        let if_match = require_if_match(&req)?;
        let mut section = authorized_section(deps, &req, &ctx.principal, Permission::Write).await?;
        if_match.check(section.revision, "section")?;
        let based_on = section.revision;
        let mut changed = Vec::new();
        if let Some(level) = input.level.filter(|level| *level != section.level) {
            section.level = level;
            changed.push("level".to_owned());
        }
        if let Some(title) = input
            .title
            .as_deref()
            .map(str::trim)
            .filter(|title| *title != section.title)
        {
            section.title = title.to_owned();
            changed.push("title".to_owned());
        }
        section.revision += 1;
        section.updated_at = Utc::now();
        section.comment = input.comment.clone();
        let event = SectionUpdated {
            section_id: section.section_id.clone(),
            script_id: section.script_id.clone(),
            level: section.level.as_str().into(),
            title: section.title.clone(),
            revision: section.revision,
            changed,
            comment: input.comment,
        };
        store::replace(
            &deps.table,
            &ctx.principal.user_id,
            &section,
            based_on,
            &ctx.envelope(&event)?,
        )
        .await
        .map_err(|e| {
            refused(
                e,
                ApiError::PreconditionFailed("the section changed meanwhile".into()),
            )
        })?;
        let sequence = Siblings::sections(&section.script_id)
            .sequence_of(&deps.table, &section.section_id, &section.order_key)
            .await?;
        json(200, &section.view(sequence), Some(etag(section.revision)))
    })
    .await
}
