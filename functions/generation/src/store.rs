//! Reads and writes of generation jobs. Every change of a job's status is one transaction
//! with its event (the outbox), conditioned on the status it changes from, so a job is
//! cancelled, completed or failed at most once whatever runs concurrently; the worker's
//! writes also require the attempt they belong to, so a worker that was presumed dead and
//! wakes up can never overwrite its successor's result.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use fountain_events::EventEnvelope;
use fountain_events::catalog::GenerationOutput;
use fountain_events::ids::is_id;
use fountain_store::{
    Cursor, Expression, Item, ItemCodec, LSI1, Label, PK, Page, PageError, SK, StoreError, Table,
    Transaction, keys, n, number_attribute, query_page, s, string_attribute,
};

use crate::model::{Job, JobStatus};
use crate::quota::{Budget, usage_sk};

/// The idempotency key is held by another, unexpired request.
const KEY_USED: Label = Label::new("idempotency key used");
/// The owner's jobs of the day reached the plan's limit.
const QUOTA_EXHAUSTED: Label = Label::new("daily quota exhausted");
/// The day was marked as having reached its limit before.
const LIMIT_MARKED: Label = Label::new("limit already marked");
/// The job moved on (another delivery or a cancel) since it was read.
const MOVED: Label = Label::new("job moved on");

/// How long an Idempotency-Key names its job.
pub const IDEMPOTENCY_WINDOW_HOURS: i64 = 24;

/// An Idempotency-Key as stored: its hash (the key itself may be anything the client sent)
/// and the fingerprint of the request it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub key_hash: String,
    pub fingerprint: String,
}

impl IdempotencyKey {
    fn sk(&self) -> String {
        keys::job_key(&self.key_hash)
    }
}

/// Why a new job was not written.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("the idempotency key names job {job_id} already")]
    KeyUsed { job_id: String, fingerprint: String },
    #[error("the daily quota is used up")]
    QuotaExhausted,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Writes a new queued job, counting it and its weight against its day's `budget`, with the
/// key item of its Idempotency-Key and StoryGenerationRequested.
pub async fn create(
    table: &Table,
    job: &Job,
    key: Option<&IdempotencyKey>,
    budget: Budget,
    now: DateTime<Utc>,
    event: &EventEnvelope,
) -> Result<(), CreateError> {
    if budget.jobs == 0 || job.weight > budget.elements {
        return Err(CreateError::QuotaExhausted);
    }
    let owner = Job::pk(&job.owner_id);
    let mut tx = Transaction::new();
    if let Some(key) = key {
        let expires = now + chrono::Duration::hours(IDEMPOTENCY_WINDOW_HOURS);
        let item = HashMap::from([
            ("pk".to_owned(), s(&owner)),
            ("sk".to_owned(), s(key.sk())),
            ("entity".to_owned(), s("generation-key")),
            ("jobId".to_owned(), s(&job.job_id)),
            ("fingerprint".to_owned(), s(&key.fingerprint)),
            // Epoch seconds: the table's TTL attribute.
            ("expiresAt".to_owned(), n(expires.timestamp())),
        ]);
        // An expired key may be used again (the emulator never expires items by TTL).
        let free = Expression::new("attribute_not_exists(pk) OR expiresAt < :now")
            .value(":now", n(now.timestamp()));
        tx = tx.put(item, Some(free.labelled(KEY_USED)));
    }
    let usage = Expression::new("ADD jobs :one, elements :weight SET #plan = :plan")
        .name("#plan", "plan")
        .value(":one", n(1))
        .value(":weight", n(job.weight))
        .value(":plan", s(&job.plan));
    let below_limit = Expression::new(
        "(attribute_not_exists(jobs) OR jobs < :limit) \
         AND (attribute_not_exists(elements) OR elements <= :room)",
    )
    .value(":limit", n(budget.jobs))
    .value(":room", n(budget.elements - job.weight))
    .labelled(QUOTA_EXHAUSTED);
    tx = tx
        .update(
            Table::key(&owner, usage_sk(&job.quota_day)),
            usage,
            Some(below_limit),
        )
        .create(job.to_item()?);
    match tx.event(event)?.commit(table).await {
        Ok(()) => Ok(()),
        Err(error) if error.refused(KEY_USED) => {
            let sk = key.map(IdempotencyKey::sk).unwrap_or_default();
            let stored = table.get(&owner, &sk).await?.unwrap_or_default();
            Err(CreateError::KeyUsed {
                job_id: string_attribute(&stored, "jobId")
                    .unwrap_or_default()
                    .to_owned(),
                fingerprint: string_attribute(&stored, "fingerprint")
                    .unwrap_or_default()
                    .to_owned(),
            })
        }
        Err(error) if error.refused(QUOTA_EXHAUSTED) => Err(CreateError::QuotaExhausted),
        Err(error) => Err(error.into()),
    }
}

/// Marks the user's day as having reached its limit and publishes UsageLimitReached, once:
/// `false` when an earlier request did so already.
pub async fn mark_limit_reached(
    table: &Table,
    user_id: &str,
    day: &str,
    event: &EventEnvelope,
) -> Result<bool, StoreError> {
    let update = Expression::new("SET limitReachedAt = :at").value(":at", s(event.time_rfc3339()));
    let outcome = Transaction::new()
        .update(
            Table::key(Job::pk(user_id), usage_sk(day)),
            update,
            Some(Expression::new("attribute_not_exists(limitReachedAt)").labelled(LIMIT_MARKED)),
        )
        .event(event)?
        .commit(table)
        .await;
    match outcome {
        Ok(()) => Ok(true),
        Err(error) if error.refused(LIMIT_MARKED) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Jobs used on a day.
pub async fn used_on(table: &Table, user_id: &str, day: &str) -> Result<u32, StoreError> {
    let item = table.get(&Job::pk(user_id), &usage_sk(day)).await?;
    Ok(item
        .as_ref()
        .and_then(|i| fountain_store::number_attribute(i, "jobs"))
        .unwrap_or(0))
}

pub async fn load(table: &Table, owner_id: &str, job_id: &str) -> Result<Option<Job>, StoreError> {
    if !is_id(job_id) {
        return Ok(None);
    }
    table
        .get_as::<Job>(&Job::pk(owner_id), &Job::sk(job_id))
        .await
}

/// A page of the user's jobs, newest first; of one script's only with `script_id` (such a
/// page may hold fewer than `limit` jobs and still have a next one).
pub async fn list(
    table: &Table,
    owner_id: &str,
    script_id: Option<&str>,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<Job>, PageError> {
    let partition = Job::pk(owner_id);
    if let Some(cursor) = cursor {
        Cursor::continues_listing(cursor, &partition, SK, Job::SK_PREFIX, &[PK, SK])?;
    }
    let mut query = table
        .query_prefix(&partition, Job::SK_PREFIX)
        .scan_index_forward(false);
    if let Some(script_id) = script_id {
        query = query
            .filter_expression("scriptId = :script")
            .expression_attribute_values(":script", s(script_id));
    }
    query_page(query, (PK, &partition), limit, cursor).await
}

/// Every queued or running job of the user (strongly consistent, from the local index).
pub async fn active_jobs(table: &Table, owner_id: &str) -> Result<Vec<Job>, StoreError> {
    let query = table
        .client
        .query()
        .table_name(&table.name)
        .index_name(LSI1)
        .key_condition_expression("pk = :pk AND begins_with(lsi1sk, :prefix)")
        .expression_attribute_values(":pk", s(Job::pk(owner_id)))
        .expression_attribute_values(":prefix", s(Job::ACTIVE_PREFIX))
        .consistent_read(true);
    table
        .query_all(query)
        .await?
        .into_iter()
        .map(Job::from_item)
        .collect()
}

fn key_of(job: &Job) -> Item {
    Table::key(Job::pk(&job.owner_id), Job::sk(&job.job_id))
}

/// An update that writes `after`'s changeable attributes (and its index key).
fn assignments(after: &Job, attributes: &[&str]) -> Result<Expression, StoreError> {
    let mut item = after.to_item()?;
    let mut update = Expression::new("");
    let mut sets = Vec::new();
    let mut removes = Vec::new();
    for attribute in attributes
        .iter()
        .copied()
        .chain(["lsi1sk", "gsi1pk", "gsi1sk", "updatedAt"])
    {
        let name = format!("#{attribute}");
        update = update.name(&name, attribute);
        match item.remove(attribute) {
            Some(value) => {
                let placeholder = format!(":{attribute}");
                update = update.value(&placeholder, value);
                sets.push(format!("{name} = {placeholder}"));
            }
            None => removes.push(name),
        }
    }
    update.text = format!("SET {}", sets.join(", "));
    if !removes.is_empty() {
        update
            .text
            .push_str(&format!(" REMOVE {}", removes.join(", ")));
    }
    Ok(update)
}

/// Why a job's status change did not happen: it is no longer in a status it may change from
/// (or no longer this attempt's).
#[derive(Debug, thiserror::Error)]
pub enum TransitionError {
    #[error("the job moved on meanwhile")]
    Moved,
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn transition(
    table: &Table,
    after: &Job,
    attributes: &[&str],
    condition: Expression,
    events: &[&EventEnvelope],
) -> Result<(), TransitionError> {
    let update = assignments(after, attributes)?;
    let mut tx = Transaction::new().update(key_of(after), update, Some(condition.labelled(MOVED)));
    for event in events {
        tx = tx.event(event)?;
    }
    match tx.commit(table).await {
        Ok(()) => Ok(()),
        Err(error) if error.refused(MOVED) => Err(TransitionError::Moved),
        Err(error) => Err(error.into()),
    }
}

/// The job is still queued, running or waiting.
fn active() -> Expression {
    Expression::new("#status IN (:queued, :running, :waiting)")
        .name("#status", "status")
        .value(":queued", s(JobStatus::Queued.as_str()))
        .value(":running", s(JobStatus::Running.as_str()))
        .value(":waiting", s(JobStatus::Waiting.as_str()))
}

/// The job is running under `attempt`.
fn held_by(attempt: u32) -> Expression {
    Expression::new("#status = :running AND attempts = :attempt")
        .name("#status", "status")
        .value(":running", s(JobStatus::Running.as_str()))
        .value(":attempt", n(attempt))
}

/// Cancels a queued or running job (`after` is it cancelled).
pub async fn cancel(
    table: &Table,
    after: &Job,
    event: &EventEnvelope,
) -> Result<(), TransitionError> {
    transition(
        table,
        after,
        &["status", "reason", "finishedAt"],
        active(),
        &[event],
    )
    .await
}

/// Takes a job for the worker: a queued job, or a running one whose worker's lease ran out
/// (it crashed or timed out). `after` has the new attempt and lease.
pub async fn claim(
    table: &Table,
    after: &Job,
    now_ms: i64,
    event: &EventEnvelope,
) -> Result<(), TransitionError> {
    transition(
        table,
        after,
        &["status", "attempts", "startedAt", "leaseUntil", "lastError"],
        free(now_ms),
        &[event],
    )
    .await
}

/// No live attempt holds the job: it is queued, or running with its lease run out.
fn free(now_ms: i64) -> Expression {
    Expression::new(
        "#status = :queued OR (#status = :running AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now))",
    )
    .name("#status", "status")
    .value(":queued", s(JobStatus::Queued.as_str()))
    .value(":running", s(JobStatus::Running.as_str()))
    .value(":now", n(now_ms))
}

/// Records a finished step while the attempt still holds the job.
pub async fn progress(
    table: &Table,
    after: &Job,
    event: &EventEnvelope,
) -> Result<(), TransitionError> {
    transition(
        table,
        after,
        &["progress", "step", "storyRevision"],
        held_by(after.attempts),
        &[event],
    )
    .await
}

/// Gives a failed attempt's job back for its retry: the lease ends now, so the retry need
/// not wait for it; the error is kept for the user and for the last attempt's reason.
pub async fn release(table: &Table, after: &Job) -> Result<(), TransitionError> {
    transition(
        table,
        after,
        &["leaseUntil", "lastError"],
        held_by(after.attempts),
        &[],
    )
    .await
}

/// Completes the attempt's job with its outputs, with StoryGenerationCompleted and
/// UsageRecorded.
pub async fn complete(
    table: &Table,
    after: &Job,
    events: &[&EventEnvelope],
) -> Result<(), TransitionError> {
    transition(
        table,
        after,
        &[
            "status",
            "progress",
            "step",
            "outputs",
            "storyRevision",
            "finishedAt",
            "leaseUntil",
        ],
        held_by(after.attempts),
        events,
    )
    .await
}

/// Holds a queued or running job while the generator is down (`after` is it waiting, with
/// the reason); its message is acknowledged, so no delivery is spent on the outage.
/// `attempt`: the attempt holding it running, or `None` for a job no live attempt holds
/// (queued, or running with its lease run out).
pub async fn hold(
    table: &Table,
    after: &Job,
    attempt: Option<u32>,
    now_ms: i64,
) -> Result<(), TransitionError> {
    let condition = match attempt {
        Some(attempt) => held_by(attempt),
        None => free(now_ms),
    };
    transition(
        table,
        after,
        &["status", "reason", "leaseUntil", "lastError"],
        condition,
        &[],
    )
    .await
}

/// Puts a held job back in the queue with its StoryGenerationRequested (`after` is it queued).
pub async fn resume(
    table: &Table,
    after: &Job,
    event: &EventEnvelope,
) -> Result<(), TransitionError> {
    let waiting = Expression::new("#status = :waiting")
        .name("#status", "status")
        .value(":waiting", s(JobStatus::Waiting.as_str()));
    transition(table, after, &["status", "reason"], waiting, &[event]).await
}

/// Every held job, across users (the index entry exists only while a job waits).
pub async fn held_jobs(table: &Table) -> Result<Vec<Job>, StoreError> {
    let query = table
        .client
        .query()
        .table_name(&table.name)
        .index_name("gsi1")
        .key_condition_expression("gsi1pk = :held")
        .expression_attribute_values(":held", s(keys::HELD_JOBS));
    table
        .query_all(query)
        .await?
        .into_iter()
        .map(Job::from_item)
        .collect()
}

/// Fails a job for good, whatever attempt holds it, while it is still queued or running.
pub async fn fail(
    table: &Table,
    after: &Job,
    events: &[&EventEnvelope],
) -> Result<(), TransitionError> {
    transition(
        table,
        after,
        &["status", "reason", "finishedAt", "leaseUntil", "lastError"],
        active(),
        events,
    )
    .await
}

/// Running jobs that went stale before `before_ms` (lease over, unchanged since), stalest
/// first, at most `limit`. The index is eventually consistent: each repair is conditional.
pub async fn stale_running(
    table: &Table,
    before_ms: i64,
    limit: i32,
) -> Result<Vec<Job>, StoreError> {
    let items = table
        .client
        .query()
        .table_name(&table.name)
        .index_name("gsi1")
        .key_condition_expression("gsi1pk = :running AND gsi1sk < :before")
        .expression_attribute_values(":running", s(keys::RUNNING_JOBS))
        .expression_attribute_values(":before", s(keys::running_job(before_ms, "")))
        .limit(limit)
        .send()
        .await
        .map_err(StoreError::from_sdk)?
        .items
        .unwrap_or_default();
    items.into_iter().map(Job::from_item).collect()
}

/// Puts a stale running job back in the queue (`after` is it queued) with its events, if it
/// is still running under the same attempt and still stale.
pub async fn requeue(
    table: &Table,
    after: &Job,
    attempt: u32,
    stale_before_ms: i64,
    events: &[&EventEnvelope],
) -> Result<(), TransitionError> {
    let stale = Expression::new(
        "#status = :running AND attempts = :attempt AND (attribute_not_exists(leaseUntil) OR leaseUntil < :before)",
    )
    .name("#status", "status")
    .value(":running", s(JobStatus::Running.as_str()))
    .value(":attempt", n(attempt))
    .value(":before", n(stale_before_ms));
    transition(
        table,
        after,
        &["status", "leaseUntil", "lastError"],
        stale,
        events,
    )
    .await
}

/// What `user_id` used of `day`'s quota: jobs and elements (zeros for a day without use).
pub async fn day_usage(table: &Table, user_id: &str, day: &str) -> Result<(u64, u64), StoreError> {
    let item = table
        .get(&keys::user(user_id), &usage_sk(day))
        .await?
        .unwrap_or_default();
    Ok((
        number_attribute(&item, "jobs").unwrap_or(0),
        number_attribute(&item, "elements").unwrap_or(0),
    ))
}

/// The jobs of `user_id` that count against `day`'s quota.
pub async fn jobs_counted_on(table: &Table, user_id: &str, day: &str) -> Result<u32, StoreError> {
    let query = table
        .query_prefix(&Job::pk(user_id), keys::JOB)
        .filter_expression("quotaDay = :day")
        .expression_attribute_values(":day", s(day));
    Ok(table.query_all(query).await?.len() as u32)
}

/// The stored outputs of a job, as the event lists them.
pub fn output_bytes(outputs: &[GenerationOutput]) -> u64 {
    outputs.iter().map(|o| o.bytes).sum()
}
