//! The inbox over HTTP: `GET /notifications` and `POST /notifications/{id}/read`.

use chrono::Utc;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, json, page_limit, path_param, query_param,
    serve,
};

use crate::Deps;
use crate::model::{Notification, NotificationPage};
use crate::store::{self, Listing};

/// Lists the caller's notifications, newest first: all of them, or the unread ones.
#[utoipa::path(get, path = "/notifications", tag = "notifications", operation_id = "list_notifications",
    params(("unread" = Option<bool>, Query, description = "true lists only the unread ones"),
        ("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = NotificationPage), (status = 400, body = Problem), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_notifications(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let listing = Listing::from_request(&req)?;
        let limit = page_limit(&req)?;
        let cursor = query_param(&req, "cursor");
        let page = store::list(
            &deps.table,
            &ctx.principal.user_id,
            listing,
            limit,
            cursor.as_deref(),
        )
        .await?;
        json(
            200,
            &NotificationPage {
                items: page.items,
                next_cursor: page.next_cursor,
            },
            None,
        )
    })
    .await
}

/// Marks one of the caller's notifications read. Marking a read one again returns it
/// unchanged (its `readAt` stays the first one), so a retried request is safe; anyone
/// else's or an unknown id is 404.
#[utoipa::path(post, path = "/notifications/{notificationId}/read", tag = "notifications",
    operation_id = "mark_notification_read",
    params(("notificationId" = String, Path)),
    responses((status = 200, body = Notification), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn mark_notification_read(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let notification_id = path_param(&req, "notificationId")?;
        let user_id = &ctx.principal.user_id;
        let notification = own(deps, user_id, &notification_id).await?;
        if notification.read {
            return json(200, &notification, None);
        }
        let now = Utc::now();
        if store::mark_read(&deps.table, &notification, now).await? {
            return json(200, &notification.marked_read(now), None);
        }
        // Marked by a concurrent request meanwhile: that mark stands.
        let current = own(deps, user_id, &notification_id).await?;
        json(200, &current, None)
    })
    .await
}

/// The caller's notification; anyone else's is simply not in the caller's partition.
async fn own(deps: &Deps, user_id: &str, notification_id: &str) -> Result<Notification, ApiError> {
    store::load(&deps.table, user_id, notification_id)
        .await?
        .ok_or(ApiError::NotFound("notification"))
}
