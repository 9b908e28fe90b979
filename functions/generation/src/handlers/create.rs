use chrono::Utc;
use fountain_events::catalog::UsageLimitReached;
use fountain_http::{
    Access, ApiError, Body, Ctx, Problem, Request, Response, json, optional_json_body, path_param,
    serve,
};
use fountain_scripts::access::{Permission, authorize};
use fountain_stories::context::check_session;
use sha2::{Digest, Sha256};

use crate::Deps;
use crate::availability;
use crate::model::{CreateGeneration, Job, JobView, NewJob, hex};
use crate::quota::{self, Budget, Plan};
use crate::store::{self, CreateError, IdempotencyKey};
use fountain_scripts::caps::Cap;

pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;

/// Queues a story generation of a script the caller can read: 202 with the job and its URL.
/// With an `Idempotency-Key`, the same key (within 24 hours) gives the same job. Each job
/// counts against the caller's daily quota; past it, 429 with Retry-After.
#[utoipa::path(post, path = "/scripts/{scriptId}/generations", tag = "generation",
    operation_id = "create_generation",
    params(("scriptId" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, pattern = r"^[\x21-\x7E]{1,255}$",
            description = "1-255 visible ASCII characters; the same key makes one job")),
    request_body(content = Option<CreateGeneration>, description = "Optional"),
    responses((status = 202, body = JobView, description = "Queued (or, for a repeated Idempotency-Key, the job it made)"),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem, description = "The script or session is not visible to the caller"),
        (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem, description = "Invalid body, or the Idempotency-Key was used for a different request"),
        (status = 429, body = Problem, description = "The plan's daily quota is used up; Retry-After says until when"),
        (status = 503, body = Problem, description = "The text generator is down and no backup is configured; Retry-After says when to ask again")),
    security(("bearer" = [])))]
pub async fn create_generation(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let input: CreateGeneration = optional_json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        let key = idempotency_key(&req, &input, &script_id)?;
        let user_id = &ctx.principal.user_id;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        if !deps.backup_configured && availability::generator_down(&deps.table).await? {
            return Err(ApiError::DependencyDown {
                retry_after: availability::RETRY_AFTER_SECONDS,
                detail: "The text generator is down; jobs are accepted again when it is back. \
                         Reading and editing scripts work as usual."
                    .to_owned(),
            });
        }
        if let Some(session_id) = &input.session_id {
            // The same check the story makes: the caller's session, of this script or none;
            // the worker reads its entries when it assembles the story.
            check_session(&deps.table, user_id, session_id, &script_id).await?;
        }
        let now = Utc::now();
        let plan = Plan::of(&deps.table, user_id).await?;
        let budget = plan.daily_budget(&deps.settings).await?;
        let weight = Cap::Elements.count(&deps.table, &script_id).await?;
        let job = Job::queued(
            NewJob {
                owner_id: user_id.clone(),
                script_id: script_id.clone(),
                session_id: input.session_id.clone(),
                generator: deps.generator.clone(),
                plan: plan.as_str().to_owned(),
                weight,
                comment: input.comment.clone(),
            },
            now,
        );
        let event = ctx.envelope(&job.requested())?;
        match store::create(&deps.table, &job, key.as_ref(), budget, now, &event).await {
            Ok(()) => accepted(deps, job, false).await,
            Err(CreateError::KeyUsed {
                job_id,
                fingerprint,
            }) => {
                let same = key.as_ref().is_some_and(|k| k.fingerprint == fingerprint);
                if !same {
                    return Err(ApiError::field(
                        "Idempotency-Key",
                        "was already used for a different request; use a new key",
                    ));
                }
                let earlier = store::load(&deps.table, user_id, &job_id)
                    .await?
                    .ok_or(ApiError::NotFound("generation job"))?;
                accepted(deps, earlier, true).await
            }
            Err(CreateError::QuotaExhausted) => {
                Err(quota_exhausted(deps, &ctx, plan, budget, weight, now).await)
            }
            Err(CreateError::Store(error)) => Err(error.into()),
        }
    })
    .await
}

/// The key's hash (any characters the client sent stay out of our keys and logs) with the
/// request's fingerprint.
fn idempotency_key(
    req: &Request,
    input: &CreateGeneration,
    script_id: &str,
) -> Result<Option<IdempotencyKey>, ApiError> {
    let Some(value) = req.headers().get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| {
            (1..=MAX_IDEMPOTENCY_KEY_CHARS).contains(&k.len())
                && k.bytes().all(|b| b.is_ascii_graphic())
        })
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "Idempotency-Key must be 1-{MAX_IDEMPOTENCY_KEY_CHARS} visible ASCII characters"
            ))
        })?;
    Ok(Some(IdempotencyKey {
        key_hash: hex(&Sha256::digest(key.as_bytes())),
        fingerprint: input.fingerprint(script_id),
    }))
}

async fn accepted(deps: &Deps, job: Job, replayed: bool) -> Result<Response<Body>, ApiError> {
    let location = job.location();
    let mut response = json(202, &super::view(deps, job).await?, None)?;
    let headers = response.headers_mut();
    if let Ok(value) = http::HeaderValue::from_str(&location) {
        headers.insert(http::header::LOCATION, value);
    }
    if replayed {
        headers.insert(
            "idempotent-replayed",
            http::HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}

/// The 429, after publishing UsageLimitReached if this is the day's first refusal; it says
/// which part of the budget is used up.
async fn quota_exhausted(
    deps: &Deps,
    ctx: &Ctx,
    plan: Plan,
    budget: Budget,
    weight: u64,
    now: chrono::DateTime<Utc>,
) -> ApiError {
    let user_id = &ctx.principal.user_id;
    let day = quota::day_of(now);
    let resets_at = quota::resets_at(now);
    let event = UsageLimitReached {
        user_id: user_id.clone(),
        day: day.clone(),
        plan: plan.as_str().to_owned(),
        limit: budget.jobs,
        resets_at: resets_at.to_rfc3339(),
    };
    match ctx.envelope(&event) {
        Ok(envelope) => {
            if let Err(error) =
                store::mark_limit_reached(&deps.table, user_id, &day, &envelope).await
            {
                // The refusal stands either way; the next one publishes the event.
                tracing::warn!(%error, "UsageLimitReached not recorded");
            }
        }
        Err(error) => return error,
    }
    let (jobs, elements) = store::day_usage(&deps.table, user_id, &day)
        .await
        .unwrap_or((u64::from(budget.jobs), 0));
    let plan_name = plan.as_str();
    let renews = resets_at.to_rfc3339();
    let detail = if jobs >= u64::from(budget.jobs) {
        format!(
            "your {plan_name} plan allows {} generation jobs a day; the quota renews at {renews}",
            budget.jobs
        )
    } else {
        let left = budget.elements.saturating_sub(elements);
        format!(
            "your {plan_name} plan allows {} elements of screenplay generated a day; this script has {weight} and {left} are left today; the quota renews at {renews}",
            budget.elements
        )
    };
    ApiError::TooManyRequests {
        retry_after: quota::retry_after(now),
        detail,
    }
}
