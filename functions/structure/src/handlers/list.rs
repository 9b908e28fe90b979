use fountain_http::{
    Access, Body, Problem, Request, Response, TableDeps, etag, json, page_limit, path_param,
    query_param, serve,
};
use fountain_scripts::Script;
use fountain_scripts::access::{Permission, authorize};
use fountain_store::{Cursor, ItemCodec, LSI1, LSI1_SK, PK, StoreError, s};

use crate::model::{Section, SectionPage};
use crate::order;

/// The script's sections in order, with sequence numbers. The ETag is the order revision,
/// which a reorder names in If-Match.
#[utoipa::path(get, path = "/scripts/{scriptId}/sections", tag = "structure", operation_id = "list_sections",
    params(("scriptId" = String, Path), ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = SectionPage), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_sections(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(
        "list_sections",
        Access::Authenticated,
        req,
        |ctx, req| async move {
            let script_id = path_param(&req, "scriptId")?;
            let limit = page_limit(&req)?;
            authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
            let partition = Script::pk(&script_id);
            let (start, offset) = match query_param(&req, "cursor") {
                Some(cursor) => {
                    let (key, offset) = Cursor::decode_at(&cursor, PK, &partition)?;
                    (Some(key), offset)
                }
                None => (None, 0),
            };
            let revision = order::revision(&deps.table, &script_id).await?;
            let output = deps
                .table
                .client
                .query()
                .table_name(&deps.table.name)
                .index_name(LSI1)
                .key_condition_expression("pk = :pk AND begins_with(#order, :prefix)")
                .expression_attribute_names("#order", LSI1_SK)
                .expression_attribute_values(":pk", s(&partition))
                .expression_attribute_values(":prefix", s(Section::ORDER_PREFIX))
                .consistent_read(true)
                .limit(limit)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(StoreError::from_sdk)?;
            let sections = output
                .items
                .unwrap_or_default()
                .into_iter()
                .map(Section::from_item)
                .collect::<Result<Vec<_>, _>>()?;
            let next_offset = offset + sections.len();
            let items = sections
                .iter()
                .enumerate()
                .map(|(i, section)| section.view(offset + i + 1))
                .collect();
            let page = SectionPage {
                items,
                next_cursor: output
                    .last_evaluated_key
                    .as_ref()
                    .and_then(|key| Cursor::encode_at(key, next_offset)),
            };
            json(200, &page, Some(etag(revision)))
        },
    )
    .await
}
