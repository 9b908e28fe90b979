//! `/admin/dead-letters`: the operator's routes (admin role).

use fountain_http::text_schema::optional_text;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, json, no_content, optional_json_body,
    path_param, serve,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::queues::{self, DeadLetterDeps, Peeked};

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeadLetterSummary {
    /// The dead-letter queue's name (the `{queue}` of the other routes).
    pub queue: String,
    /// The queue its messages failed in, where a redrive sends them.
    pub source_queue: String,
    /// Approximate, as SQS counts.
    pub messages: u64,
    /// When the oldest of up to ten sampled messages was first sent (none when empty).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub oldest_sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeadLetterList {
    pub items: Vec<DeadLetterSummary>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeadLetterPeek {
    pub queue: String,
    /// Up to ten messages, left in the queue.
    pub items: Vec<Peeked>,
}

/// `POST /admin/dead-letters/{queue}/redrive`: one message, or (empty body) all of them.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Redrive {
    #[schema(schema_with = optional_text::<128>)]
    pub message_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Redriven {
    /// Messages sent back to the source queue by this call.
    pub moved: usize,
    /// Messages left in the dead-letter queue (approximate); call again to move more.
    pub remaining: u64,
}

/// Every dead-letter queue of the stack with its message count.
#[utoipa::path(get, path = "/admin/dead-letters", tag = "operations", operation_id = "list_dead_letters",
    responses((status = 200, body = DeadLetterList), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 503, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_dead_letters(deps: &DeadLetterDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |_ctx, _req| async move {
        let mut items = Vec::new();
        for queue in queues::dead_letter_queues(deps).await? {
            let oldest_sent_at = match queue.messages {
                0 => None,
                _ => queues::receive(deps, &queue, 0)
                    .await?
                    .iter()
                    .filter_map(|m| queues::peeked(m).sent_at)
                    .min(),
            };
            items.push(DeadLetterSummary {
                queue: queue.name,
                source_queue: queue.source_name,
                messages: queue.messages,
                oldest_sent_at,
            });
        }
        json(200, &DeadLetterList { items }, None)
    })
    .await
}

/// Up to ten messages of a dead-letter queue, without consuming them.
#[utoipa::path(get, path = "/admin/dead-letters/{queue}/messages", tag = "operations",
    operation_id = "peek_dead_letters",
    params(("queue" = String, Path, description = "A dead-letter queue's name")),
    responses((status = 200, body = DeadLetterPeek), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 503, body = Problem)),
    security(("bearer" = [])))]
pub async fn peek_dead_letters(deps: &DeadLetterDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |_ctx, req| async move {
        let queue = queues::dead_letter_queue(deps, &path_param(&req, "queue")?).await?;
        let items = queues::receive(deps, &queue, 0)
            .await?
            .iter()
            .map(queues::peeked)
            .collect();
        json(
            200,
            &DeadLetterPeek {
                queue: queue.name,
                items,
            },
            None,
        )
    })
    .await
}

/// Sends dead letters back to the queue they failed in: one (`messageId`), or all of them
/// (up to 100 per call). Consumers deduplicate, so a redriven event has its effect once.
#[utoipa::path(post, path = "/admin/dead-letters/{queue}/redrive", tag = "operations",
    operation_id = "redrive_dead_letters",
    params(("queue" = String, Path, description = "A dead-letter queue's name")),
    request_body(content = Option<Redrive>, description = "Optional: one message"),
    responses((status = 200, body = Redriven), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem, description = "No such queue, or no such message in it"),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 503, body = Problem)),
    security(("bearer" = [])))]
pub async fn redrive_dead_letters(deps: &DeadLetterDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |_ctx, req| async move {
        let input: Redrive = optional_json_body(&req, MAX_BODY_BYTES)?;
        let queue = queues::dead_letter_queue(deps, &path_param(&req, "queue")?).await?;
        let moved = match &input.message_id {
            Some(message_id) => {
                let message = queues::find(deps, &queue, message_id)
                    .await?
                    .ok_or(ApiError::NotFound("dead letter"))?;
                queues::move_back(deps, &queue, &message).await?;
                1
            }
            None => queues::redrive_all(deps, &queue).await?,
        };
        let remaining = queues::dead_letter_queue(deps, &queue.name).await?.messages;
        json(200, &Redriven { moved, remaining }, None)
    })
    .await
}

/// Deletes one dead letter for good.
#[utoipa::path(delete, path = "/admin/dead-letters/{queue}/messages/{messageId}", tag = "operations",
    operation_id = "delete_dead_letter",
    params(("queue" = String, Path, description = "A dead-letter queue's name"), ("messageId" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem, description = "No such queue, or no such message in it"), (status = 503, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_dead_letter(deps: &DeadLetterDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |_ctx, req| async move {
        let queue = queues::dead_letter_queue(deps, &path_param(&req, "queue")?).await?;
        let message_id = path_param(&req, "messageId")?;
        let message = queues::find(deps, &queue, &message_id)
            .await?
            .ok_or(ApiError::NotFound("dead letter"))?;
        queues::delete(deps, &queue, &message).await?;
        no_content()
    })
    .await
}

/// The largest body these routes take (a message id).
const MAX_BODY_BYTES: usize = 1_024;
