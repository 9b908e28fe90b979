//! `GET /events?aggregateId=` or `?correlationId=`: the stored events in the order they
//! happened, for administrators (the event store is an operations endpoint).

use fountain_events::EventEnvelope;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, json, page_limit, query_param, serve,
};
use fountain_store::{GSI1, GSI1_PK, GSI2, GSI2_PK, query_page, s};
use serde::Serialize;
use utoipa::ToSchema;

use crate::QueryDeps;
use crate::record::StoredEvent;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventPage {
    pub items: Vec<EventEnvelope>,
    pub next_cursor: Option<String>,
}

/// Lists stored events by aggregate or correlation id, oldest first (admin role).
#[utoipa::path(get, path = "/events", tag = "events", operation_id = "list_events",
    params(("aggregateId" = Option<String>, Query), ("correlationId" = Option<String>, Query),
        ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = EventPage), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_events(deps: &QueryDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |_ctx, req| async move {
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
        let query = deps
            .table
            .client
            .query()
            .table_name(&deps.table.name)
            .index_name(index)
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", key_name)
            .expression_attribute_values(":pk", s(&partition));
        let cursor = query_param(&req, "cursor");
        let stored =
            query_page::<StoredEvent>(query, (key_name, &partition), limit, cursor.as_deref())
                .await?;
        let page = EventPage {
            items: stored.items.into_iter().map(|stored| stored.0).collect(),
            next_cursor: stored.next_cursor,
        };
        json(200, &page, None)
    })
    .await
}
