//! `GET /events?aggregateId=` or `?correlationId=`: the stored events in the order they
//! happened. Administrators see every event; other users see the events they caused.

use fountain_events::EventEnvelope;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, json, page_limit, query_param, serve,
};
use fountain_store::{Cursor, GSI1, GSI1_PK, GSI2, GSI2_PK, ItemCodec, StoreError, s};
use serde::Serialize;
use utoipa::ToSchema;

use crate::QueryDeps;
use crate::record::StoredEvent;

pub const ADMIN_ROLE: &str = "admin";

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventPage {
    pub items: Vec<EventEnvelope>,
    pub next_cursor: Option<String>,
}

/// Lists stored events by aggregate or correlation id, oldest first.
#[utoipa::path(get, path = "/events", tag = "events", operation_id = "list_events",
    params(("aggregateId" = Option<String>, Query), ("correlationId" = Option<String>, Query),
        ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = EventPage), (status = 400, body = Problem), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_events(deps: &QueryDeps, req: Request) -> Response<Body> {
    serve(
        "list_events",
        Access::Authenticated,
        req,
        |ctx, req| async move {
            let (index, key_name, partition) = match (
                query_param(&req, "aggregateId"),
                query_param(&req, "correlationId"),
            ) {
                (Some(id), None) => (GSI1, GSI1_PK, StoredEvent::aggregate_partition(&id)),
                (None, Some(id)) => (GSI2, GSI2_PK, StoredEvent::correlation_partition(&id)),
                _ => {
                    return Err(ApiError::BadRequest(
                        "give exactly one of aggregateId and correlationId".into(),
                    ));
                }
            };
            let limit = page_limit(&req)?;
            let start = query_param(&req, "cursor")
                .map(|c| Cursor::decode(&c, key_name, &partition))
                .transpose()?;
            let mut query = deps
                .table
                .client
                .query()
                .table_name(&deps.table.name)
                .index_name(index)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", key_name)
                .expression_attribute_values(":pk", s(partition))
                .limit(limit)
                .set_exclusive_start_key(start);
            if !ctx.principal.has_role(ADMIN_ROLE) {
                query = query
                    .filter_expression("actor = :me")
                    .expression_attribute_values(":me", s(&ctx.principal.user_id));
            }
            let output = query.send().await.map_err(StoreError::from_sdk)?;
            let items = output
                .items
                .unwrap_or_default()
                .into_iter()
                .map(|item| StoredEvent::from_item(item).map(|stored| stored.0))
                .collect::<Result<Vec<_>, _>>()?;
            let page = EventPage {
                items,
                next_cursor: output.last_evaluated_key.as_ref().and_then(Cursor::encode),
            };
            json(200, &page, None)
        },
    )
    .await
}
