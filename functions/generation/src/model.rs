//! A generation job as stored and as shown: `USER#<ownerId>` / `JOB#<jobId>`, in its owner's
//! partition like sessions, so nobody else's request ever finds it. The local index sorts a
//! user's jobs by whether they still run (`lsi1sk = JOB#active#<jobId>` or
//! `JOB#done#<jobId>`), so a logout finds the jobs to cancel without reading finished ones.

use chrono::{DateTime, Utc};
use fountain_events::catalog::GenerationOutput;
use fountain_http::text_schema::optional_text;
use fountain_http::{ApiError, Checks};
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item, keys};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Running,
    /// Held while the generator is down (and no backup is configured); resumed when it is up.
    Waiting,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Waiting => "waiting",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }

    /// Queued, running and waiting jobs can still change; the others are final.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            JobStatus::Queued | JobStatus::Running | JobStatus::Waiting
        )
    }
}

/// What the worker has done of a job, in the order it does it.
/// A session id is a ULID (26 characters); anything much longer is not one.
pub const MAX_SESSION_ID_CHARS: usize = 64;

pub const STEPS: &[(&str, u8)] = &[
    ("story", 10),
    ("prose", 60),
    ("fountain", 70),
    ("orchestration", 85),
    ("upload", 100),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub job_id: String,
    pub owner_id: String,
    pub script_id: String,
    /// The session whose context enriches the story.
    pub session_id: Option<String>,
    pub status: JobStatus,
    /// 0..=100.
    pub progress: u8,
    /// The last step finished (`story`, `prose`, `fountain`, `orchestration`, `upload`).
    pub step: Option<String>,
    /// Deliveries taken by the worker so far.
    pub attempts: u32,
    /// The prose generator (`offline` or `openai`).
    pub generator: String,
    /// The UTC day (`YYYY-MM-DD`) whose quota the job counts against.
    pub quota_day: String,
    pub plan: String,
    /// The story revision the outputs were made from, once known.
    pub story_revision: Option<u64>,
    #[serde(default)]
    pub outputs: Vec<GenerationOutput>,
    /// Why it failed or was cancelled, in words fit for the user.
    pub reason: Option<String>,
    /// The last failed attempt's error while retries remain.
    pub last_error: Option<String>,
    /// What the job counts against the day's element budget: its script's elements when it
    /// was requested (jobs before the budget weigh 0).
    #[serde(default)]
    #[schema(ignore)]
    pub weight: u64,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// While running: the worker holding the job may be dead only after this (epoch ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(ignore)]
    pub lease_until: Option<i64>,
}

/// Who asks for a new job, of what, and how it counts: [`Job::queued`].
#[derive(Debug, Clone)]
pub struct NewJob {
    pub owner_id: String,
    pub script_id: String,
    pub session_id: Option<String>,
    pub generator: String,
    pub plan: String,
    pub weight: u64,
    pub comment: Option<String>,
}

impl Job {
    pub const SK_PREFIX: &'static str = keys::JOB;

    /// A new job, queued at `now` and counted against `now`'s UTC day.
    pub fn queued(new: NewJob, now: DateTime<Utc>) -> Self {
        Self {
            job_id: fountain_events::ids::new_id(),
            owner_id: new.owner_id,
            script_id: new.script_id,
            session_id: new.session_id,
            status: JobStatus::Queued,
            progress: 0,
            step: None,
            attempts: 0,
            generator: new.generator,
            quota_day: crate::quota::day_of(now),
            plan: new.plan,
            story_revision: None,
            outputs: Vec::new(),
            reason: None,
            last_error: None,
            weight: new.weight,
            comment: new.comment,
            created_at: now,
            updated_at: now,
            started_at: None,
            finished_at: None,
            lease_until: None,
        }
    }

    pub fn pk(owner_id: &str) -> String {
        keys::user(owner_id)
    }

    pub fn sk(job_id: &str) -> String {
        keys::job(job_id)
    }

    pub fn lsi1sk(job_id: &str, status: JobStatus) -> String {
        keys::job_state(job_id, status.is_active())
    }

    /// The index range of a user's queued and running jobs.
    pub const ACTIVE_PREFIX: &'static str = keys::JOB_ACTIVE;

    /// The event that queues this job for the worker (a new job, or one queued again).
    pub fn requested(&self) -> fountain_events::catalog::StoryGenerationRequested {
        fountain_events::catalog::StoryGenerationRequested {
            job_id: self.job_id.clone(),
            owner_id: self.owner_id.clone(),
            script_id: self.script_id.clone(),
            session_id: self.session_id.clone(),
            generator: self.generator.clone(),
            comment: self.comment.clone(),
        }
    }

    /// When a running job is stale: its lease is over and it has not changed since (a
    /// released job's lease ends at once, but its retry is on its way from then on).
    pub fn stale_after_ms(&self) -> i64 {
        self.lease_until
            .unwrap_or(0)
            .max(self.updated_at.timestamp_millis())
    }

    pub fn location(&self) -> String {
        format!("/generations/{}", self.job_id)
    }
}

impl ItemCodec for Job {
    fn to_item(&self) -> Result<Item, StoreError> {
        let (pk, sk) = (Job::pk(&self.owner_id), Job::sk(&self.job_id));
        let lsi1sk = Job::lsi1sk(&self.job_id, self.status);
        let mut attributes = vec![
            ("pk", pk.as_str()),
            ("sk", sk.as_str()),
            ("lsi1sk", lsi1sk.as_str()),
            ("entity", "generation-job"),
        ];
        // Held jobs are found across users when the generator is up again, and running ones
        // by the reconciler once stale (lease over, and no change since it ended).
        let running = keys::running_job(self.stale_after_ms(), &self.job_id);
        match self.status {
            JobStatus::Waiting => {
                attributes.extend([
                    ("gsi1pk", keys::HELD_JOBS),
                    ("gsi1sk", self.job_id.as_str()),
                ]);
            }
            JobStatus::Running => {
                attributes.extend([("gsi1pk", keys::RUNNING_JOBS), ("gsi1sk", running.as_str())]);
            }
            _ => {}
        }
        keyed_item(self, &attributes)
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// The body of `POST /scripts/{scriptId}/generations` (it may be empty).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateGeneration {
    /// One of the caller's sessions, bound to this script or to none: its context enriches
    /// the story.
    #[schema(schema_with = optional_text::<MAX_SESSION_ID_CHARS>)]
    pub session_id: Option<String>,
    pub comment: Option<String>,
}

impl CreateGeneration {
    pub fn validate(&self) -> Result<(), ApiError> {
        Checks::new()
            .optional(
                "sessionId",
                self.session_id.as_deref(),
                MAX_SESSION_ID_CHARS,
            )
            .comment(self.comment.as_deref())
            .finish()
    }

    /// What makes two requests under one Idempotency-Key the same request.
    pub fn fingerprint(&self, script_id: &str) -> String {
        use sha2::{Digest, Sha256};
        let text = serde_json::json!([script_id, self.session_id, self.comment]).to_string();
        hex(&Sha256::digest(text.as_bytes()))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A job as the API shows it: the stored job plus its links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobView {
    #[serde(flatten)]
    pub job: Job,
    pub links: JobLinks,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobLinks {
    /// This job's URL path.
    #[serde(rename = "self")]
    pub this: String,
    pub script: String,
    /// Once succeeded: every output with a presigned URL valid for `expiresInSeconds`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<OutputLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutputLink {
    pub name: String,
    pub content_type: String,
    pub bytes: u64,
    pub sha256: String,
    pub url: String,
    pub expires_in_seconds: u64,
}

/// A page of the caller's jobs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobPage {
    pub items: Vec<JobView>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_sorts_into_the_active_range_until_it_finishes() {
        let (active, done_key) = (keys::job_state("J", true), keys::job_state("J", false));
        assert_eq!(Job::lsi1sk("J", JobStatus::Queued), active);
        assert_eq!(Job::lsi1sk("J", JobStatus::Running), active);
        for done in [
            JobStatus::Succeeded,
            JobStatus::Failed,
            JobStatus::Cancelled,
        ] {
            assert_eq!(Job::lsi1sk("J", done), done_key);
            assert!(!done.is_active());
        }
        assert!(Job::lsi1sk("J", JobStatus::Queued).starts_with(Job::ACTIVE_PREFIX));
    }

    #[test]
    fn the_fingerprint_tells_different_requests_apart_and_equal_ones_together() {
        let a = CreateGeneration {
            session_id: Some("S".into()),
            comment: None,
        };
        assert_eq!(a.fingerprint("X"), a.clone().fingerprint("X"));
        assert_ne!(a.fingerprint("X"), a.fingerprint("Y"));
        assert_ne!(
            a.fingerprint("X"),
            CreateGeneration::default().fingerprint("X")
        );
    }

    #[test]
    fn steps_end_at_one_hundred_percent_and_only_go_up() {
        assert!(STEPS.windows(2).all(|w| w[0].1 < w[1].1));
        assert_eq!(STEPS.last().map(|s| s.1), Some(100));
    }
}
