use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoryGenerationRequested {
    pub job_id: String,
    /// The user who asked; the job is theirs alone.
    pub owner_id: String,
    pub script_id: String,
    /// The session whose context enriches the story, if any.
    pub session_id: Option<String>,
    /// The generator that will write the prose (`offline` or `openai`).
    pub generator: String,
    pub comment: Option<String>,
}
domain_event!(StoryGenerationRequested, source: "fountain.generation", aggregate: "GenerationJob", id: job_id,
    "A user asked for a story to be generated from a script; the job is queued for the worker.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoryGenerationStarted {
    pub job_id: String,
    pub owner_id: String,
    pub script_id: String,
    /// 1 for the first delivery; more when a crashed attempt is retried.
    pub attempt: u32,
}
domain_event!(StoryGenerationStarted, source: "fountain.generation", aggregate: "GenerationJob", id: job_id,
    "The worker took a generation job (again, after a crash, with a higher attempt).");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoryGenerationProgressed {
    pub job_id: String,
    pub owner_id: String,
    pub script_id: String,
    /// 0..=100.
    pub percent: u8,
    /// What the worker has just finished, e.g. `story`, `prose`, `orchestration`.
    pub step: String,
}
domain_event!(StoryGenerationProgressed, source: "fountain.generation", aggregate: "GenerationJob", id: job_id,
    "A running generation job finished a step.");

/// One file a generation produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenerationOutput {
    /// `story.md`, `story.fountain`, `score.ly`, `score.mid` or `score.csd`.
    pub name: String,
    pub content_type: String,
    pub bytes: u64,
    /// Hex SHA-256 of the content: equal for the same script revision and options.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoryGenerationCompleted {
    pub job_id: String,
    pub owner_id: String,
    pub script_id: String,
    /// The story revision the outputs were made from.
    pub story_revision: u64,
    pub outputs: Vec<GenerationOutput>,
    pub attempt: u32,
}
domain_event!(StoryGenerationCompleted, source: "fountain.generation", aggregate: "GenerationJob", id: job_id,
    "A generation job succeeded; its outputs are stored.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoryGenerationFailed {
    pub job_id: String,
    pub owner_id: String,
    pub script_id: String,
    /// Why, in words fit to show the user.
    pub reason: String,
    /// Deliveries the job had before it was given up.
    pub attempts: u32,
}
domain_event!(StoryGenerationFailed, source: "fountain.generation", aggregate: "GenerationJob", id: job_id,
    "A generation job failed for good (a permanent error, or every retry used up).");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoryGenerationCancelled {
    pub job_id: String,
    pub owner_id: String,
    pub script_id: String,
    /// The status the job had when it was cancelled: `queued` or `running`.
    pub previous_status: String,
    /// `requested` (the user cancelled it) or `logout` (the user logged out).
    pub reason: String,
}
domain_event!(StoryGenerationCancelled, source: "fountain.generation", aggregate: "GenerationJob", id: job_id,
    "A queued or running generation job was cancelled; the worker stops at its next step.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsageRecorded {
    pub user_id: String,
    pub job_id: String,
    /// The UTC day the job was accepted on (`YYYY-MM-DD`): the quota day it counts against.
    pub day: String,
    pub plan: String,
    /// Elements in the generated story.
    pub elements: u64,
    /// Bytes of all outputs together.
    pub output_bytes: u64,
    /// Wall-clock time of the successful attempt.
    pub duration_ms: u64,
}
domain_event!(UsageRecorded, source: "fountain.generation", aggregate: "User", id: user_id,
    "A completed generation job's usage, for metering and billing.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsageLimitReached {
    pub user_id: String,
    /// The UTC day (`YYYY-MM-DD`) whose limit was reached.
    pub day: String,
    pub plan: String,
    /// Generation jobs a day on this plan.
    pub limit: u32,
    /// When the quota renews: the next UTC midnight, RFC 3339.
    pub resets_at: String,
}
domain_event!(UsageLimitReached, source: "fountain.generation", aggregate: "User", id: user_id,
    "A user asked for more generation jobs than their plan allows today (published once per user and day).");
