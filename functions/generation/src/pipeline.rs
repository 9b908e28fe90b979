//! One job's steps: take the job, assemble the story (with the session's context), write
//! the prose part by part, write the Fountain text and the orchestration files, store the
//! five outputs, complete. Between steps (and between prose parts) the worker records its
//! progress under its attempt, which is also where it notices a cancellation: a job that is
//! no longer running under this attempt stops at once.

use std::time::Instant;

use chrono::Utc;
use fountain_events::catalog::{
    StoryGenerationCompleted, StoryGenerationProgressed, StoryGenerationStarted, UsageRecorded,
};
use fountain_events::{DomainEvent, EventContext, EventEnvelope};
use fountain_http::{ApiError, Principal};
use fountain_prose::{
    Document, GenerateError, Generator, Manuscript, Part, plan_parts, story_weight,
};
use fountain_runtime::settings::SettingKey;
use fountain_scripts::access::{Permission, authorize};
use fountain_store::{StoreError, Table};
use fountain_stories::Story;
use fountain_stories::context::{apply, session_context};

use crate::manuscript::manuscript;
use crate::model::{Job, JobStatus, STEPS};
use crate::music;
use crate::outputs::{OutputError, OutputFile};
use crate::store::{self, TransitionError};
use crate::worker_deps::WorkerDeps;

/// How a delivery of a job ended without an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    /// The generator is down and no backup is configured: the job waits for it.
    Held,
    /// Nothing (more) to do: the job was cancelled or finished, here or elsewhere.
    Skipped(&'static str),
}

#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The job cannot succeed (its script is gone, the provider refuses it): fail it now.
    #[error("{0}")]
    Permanent(String),
    /// This attempt failed; another may succeed. `job` is the job as this attempt holds it.
    #[error("{reason}")]
    Retryable { job: Box<Job>, reason: String },
    /// A live worker holds the job.
    #[error("another worker holds the job")]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A step's own failure, before it knows the job it happened to.
enum Failure {
    Permanent(String),
    Retryable(String),
    Stop(&'static str),
    /// The generator went down during the attempt and there is no backup.
    Hold,
    Busy,
    Store(StoreError),
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Failure::Retryable(format!("storage failed: {error}"))
    }
}

impl From<GenerateError> for Failure {
    fn from(error: GenerateError) -> Self {
        if error.is_retryable() {
            Failure::Retryable(error.reason().to_owned())
        } else {
            Failure::Permanent(error.reason().to_owned())
        }
    }
}

impl From<OutputError> for Failure {
    fn from(error: OutputError) -> Self {
        Failure::Retryable(error.to_string())
    }
}

fn envelope<E: DomainEvent>(
    event: &E,
    context: &EventContext,
) -> Result<EventEnvelope, StoreError> {
    EventEnvelope::new(event, context).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// `failed_over`: the generator is down and the attempt starts on the backup.
pub async fn run<G: Generator>(
    deps: &WorkerDeps<G>,
    job: Job,
    context: &EventContext,
    failed_over: bool,
) -> Result<Outcome, StepError> {
    if !job.status.is_active() {
        return Ok(Outcome::Skipped("the job is no longer queued or running"));
    }
    if job.status == JobStatus::Waiting {
        return Ok(Outcome::Skipped(
            "the job is held until the generator is up",
        ));
    }
    let Some(held) = claim(deps, job, context).await? else {
        return Ok(Outcome::Skipped("the job finished meanwhile"));
    };
    let mut attempt = Attempt {
        deps,
        job: held,
        context,
        started: Instant::now(),
        failed_over,
    };
    match attempt.steps().await {
        Ok(()) => Ok(Outcome::Completed),
        Err(Failure::Stop(why)) => Ok(Outcome::Skipped(why)),
        Err(Failure::Hold) => {
            let attempt_number = attempt.job.attempts;
            match crate::availability::hold(&deps.table, &attempt.job, Some(attempt_number)).await?
            {
                true => Ok(Outcome::Held),
                false => Ok(Outcome::Skipped("the job moved on before it could be held")),
            }
        }
        Err(Failure::Permanent(reason)) => Err(StepError::Permanent(reason)),
        Err(Failure::Retryable(reason)) => Err(StepError::Retryable {
            job: Box::new(attempt.job),
            reason,
        }),
        Err(Failure::Busy) => Err(StepError::Busy),
        Err(Failure::Store(error)) => Err(StepError::Store(error)),
    }
}

/// Takes the job for a new attempt; `None` when it is no longer queued or running.
async fn claim<G>(
    deps: &WorkerDeps<G>,
    job: Job,
    context: &EventContext,
) -> Result<Option<Job>, StepError> {
    let now = Utc::now();
    let lease = chrono::Duration::from_std(deps.lease).unwrap_or(chrono::Duration::minutes(15));
    let held = Job {
        status: JobStatus::Running,
        attempts: job.attempts + 1,
        started_at: job.started_at.or(Some(now)),
        lease_until: Some((now + lease).timestamp_millis()),
        last_error: None,
        updated_at: now,
        ..job
    };
    let event = StoryGenerationStarted {
        job_id: held.job_id.clone(),
        owner_id: held.owner_id.clone(),
        script_id: held.script_id.clone(),
        attempt: held.attempts,
    };
    let started = envelope(&event, context)?;
    match store::claim(&deps.table, &held, now.timestamp_millis(), &started).await {
        Ok(()) => Ok(Some(held)),
        Err(TransitionError::Moved) => {
            match store::load(&deps.table, &held.owner_id, &held.job_id).await? {
                Some(current)
                    if matches!(current.status, JobStatus::Queued | JobStatus::Running) =>
                {
                    Err(StepError::Busy)
                }
                _ => Ok(None),
            }
        }
        Err(TransitionError::Store(error)) => Err(error.into()),
    }
}

/// Gives a failed attempt's job back for the next delivery, with its error.
pub async fn give_back(table: &Table, job: Job, reason: &str) -> Result<(), StoreError> {
    let after = Job {
        lease_until: Some(0),
        last_error: Some(reason.to_owned()),
        updated_at: Utc::now(),
        ..job
    };
    match store::release(table, &after).await {
        // Cancelled or taken over meanwhile: nothing of ours to give back.
        Ok(()) | Err(TransitionError::Moved) => Ok(()),
        Err(TransitionError::Store(error)) => Err(error),
    }
}

struct Attempt<'a, G> {
    deps: &'a WorkerDeps<G>,
    job: Job,
    context: &'a EventContext,
    started: Instant,
    /// Writing with the backup generator (the primary is down).
    failed_over: bool,
}

fn percent_of(step: &str) -> u8 {
    STEPS
        .iter()
        .find(|(name, _)| *name == step)
        .map_or(0, |(_, percent)| *percent)
}

impl<G: Generator> Attempt<'_, G> {
    async fn steps(&mut self) -> Result<(), Failure> {
        let story = self.story().await?;
        self.job.story_revision = Some(story.story_revision);
        self.checkpoint("story", percent_of("story")).await?;

        let markdown = self.prose(&story).await?;
        let screenplay = fountain_io::screenplay(&story);
        let fountain = fountain_text::write(&screenplay);
        // No page limit: this is the way for scripts too long for the API's PDF route.
        let pdf = fountain_pdf::render(&screenplay, &fountain_pdf::Options::default())
            .map_err(|e| Failure::Permanent(format!("the PDF could not be written: {e}")))?;
        self.checkpoint("fountain", percent_of("fountain")).await?;

        let mut files = vec![
            OutputFile {
                name: "story.md",
                content_type: "text/markdown; charset=utf-8",
                bytes: markdown.into_bytes(),
            },
            OutputFile {
                name: "story.fountain",
                content_type: "text/plain; charset=utf-8",
                bytes: fountain.into_bytes(),
            },
            OutputFile {
                name: "story.pdf",
                content_type: "application/pdf",
                bytes: pdf.pdf,
            },
        ];
        files.extend(music::files(&story).map_err(|e| {
            Failure::Permanent(format!("the orchestration could not be written: {e}"))
        })?);
        self.checkpoint("orchestration", percent_of("orchestration"))
            .await?;

        let uploads = files
            .into_iter()
            .map(|file| self.deps.outputs.put(&self.job, file));
        let outputs = futures::future::try_join_all(uploads).await?;
        self.complete(&story, outputs).await
    }

    /// The story as of now, with the session's context when the job has one.
    async fn story(&self) -> Result<Story, Failure> {
        let owner = Principal {
            user_id: self.job.owner_id.clone(),
            roles: Vec::new(),
        };
        authorize(
            &self.deps.table,
            &self.job.script_id,
            &owner,
            Permission::Read,
        )
        .await
        .map_err(|error| match error {
            ApiError::NotFound(_) | ApiError::Forbidden(_) => {
                Failure::Permanent("the script was deleted, or you can no longer read it".into())
            }
            other => Failure::Retryable(other.to_string()),
        })?;
        let story = fountain_stories::current_story(&self.deps.table, &self.job.script_id).await?;
        let Some(session_id) = &self.job.session_id else {
            return Ok(story);
        };
        let entries = session_context(
            &self.deps.table,
            &self.job.owner_id,
            session_id,
            &self.job.script_id,
        )
        .await
        .map_err(|error| match error {
            ApiError::NotFound(_) | ApiError::BadRequest(_) => {
                Failure::Permanent("the job's session is gone".into())
            }
            other => Failure::Retryable(other.to_string()),
        })?;
        Ok(apply(story, entries))
    }

    /// story.md, part by part, checking for cancellation between parts and reporting each
    /// tenth of the way.
    async fn prose(&mut self, story: &Story) -> Result<String, Failure> {
        let manuscript = manuscript(story);
        // Refused before any call: a script past the cap would cost as many calls as parts.
        let cap = self
            .deps
            .settings
            .get(SettingKey::MaxGenerationInputChars)
            .await
            .map_err(|e| Failure::Retryable(e.to_string()))?;
        let size = story_weight(&manuscript);
        if size as u64 > cap {
            return Err(Failure::Permanent(format!(
                "the script is too large to generate: {size} characters, more than the {cap} one generation may send (MAX_GENERATION_INPUT_CHARS)"
            )));
        }
        let parts = plan_parts(&manuscript, self.deps.part_budget);
        let (from, to) = (percent_of("story"), percent_of("prose"));
        let mut document = Document::new(&manuscript);
        let mut reported = from;
        for part in &parts {
            document.push_part(&self.write_part(&manuscript, part).await?);
            let done = part.index + 1;
            let percent = from + ((to - from) as usize * done / part.count.max(1)) as u8;
            if percent >= reported + 10 || done == part.count {
                self.checkpoint("prose", percent).await?;
                reported = percent;
            } else {
                self.still_running().await?;
            }
        }
        if parts.is_empty() {
            self.checkpoint("prose", to).await?;
        }
        Ok(document.finish())
    }

    /// One part, from the primary generator (its failures counted by the breaker) or, once
    /// the primary is down, from the backup; with neither, the job is held.
    async fn write_part(
        &mut self,
        manuscript: &Manuscript,
        part: &Part,
    ) -> Result<String, Failure> {
        loop {
            let (generator, on_primary) = match (&self.deps.backup, self.failed_over) {
                (Some(backup), true) => (backup, false),
                _ => (&self.deps.generator, true),
            };
            match generator.write_part(manuscript, part).await {
                Ok(text) => {
                    if let (Some(breaker), true) = (&self.deps.breaker, on_primary) {
                        breaker.succeeded(self.context).await?;
                    }
                    return Ok(text);
                }
                Err(error) if error.is_retryable() && on_primary => {
                    let down = match &self.deps.breaker {
                        Some(breaker) => breaker.failed(error.reason(), self.context).await?,
                        None => false,
                    };
                    if !down {
                        return Err(error.into());
                    }
                    if self.deps.backup.is_none() {
                        return Err(Failure::Hold);
                    }
                    self.failed_over = true;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// Records a finished step with StoryGenerationProgressed; stops when the job is no
    /// longer this attempt's.
    async fn checkpoint(&mut self, step: &'static str, percent: u8) -> Result<(), Failure> {
        let after = Job {
            progress: percent,
            step: Some(step.to_owned()),
            updated_at: Utc::now(),
            ..self.job.clone()
        };
        let event = StoryGenerationProgressed {
            job_id: after.job_id.clone(),
            owner_id: after.owner_id.clone(),
            script_id: after.script_id.clone(),
            percent,
            step: step.to_owned(),
        };
        match store::progress(&self.deps.table, &after, &envelope(&event, self.context)?).await {
            Ok(()) => {
                self.job = after;
                Ok(())
            }
            Err(TransitionError::Moved) => Err(self.why_moved().await),
            Err(TransitionError::Store(error)) => Err(error.into()),
        }
    }

    /// Between parts that report nothing: is the job still this attempt's?
    async fn still_running(&self) -> Result<(), Failure> {
        match store::load(&self.deps.table, &self.job.owner_id, &self.job.job_id).await? {
            Some(current)
                if current.status == JobStatus::Running
                    && current.attempts == self.job.attempts =>
            {
                Ok(())
            }
            _ => Err(self.why_moved().await),
        }
    }

    async fn why_moved(&self) -> Failure {
        match store::load(&self.deps.table, &self.job.owner_id, &self.job.job_id).await {
            Ok(Some(current)) if current.status == JobStatus::Cancelled => {
                Failure::Stop("the job was cancelled")
            }
            Ok(Some(current)) if current.status.is_active() => Failure::Busy,
            Ok(_) => Failure::Stop("the job finished elsewhere"),
            Err(error) => Failure::Store(error),
        }
    }

    async fn complete(
        &mut self,
        story: &Story,
        outputs: Vec<fountain_events::catalog::GenerationOutput>,
    ) -> Result<(), Failure> {
        let now = Utc::now();
        let after = Job {
            status: JobStatus::Succeeded,
            progress: 100,
            step: Some("upload".to_owned()),
            outputs,
            finished_at: Some(now),
            updated_at: now,
            lease_until: None,
            ..self.job.clone()
        };
        let completed = StoryGenerationCompleted {
            job_id: after.job_id.clone(),
            owner_id: after.owner_id.clone(),
            script_id: after.script_id.clone(),
            story_revision: story.story_revision,
            outputs: after.outputs.clone(),
            attempt: after.attempts,
        };
        let usage = UsageRecorded {
            user_id: after.owner_id.clone(),
            job_id: after.job_id.clone(),
            day: after.quota_day.clone(),
            plan: after.plan.clone(),
            elements: story.element_count as u64,
            output_bytes: store::output_bytes(&after.outputs),
            duration_ms: u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        let events = [
            envelope(&completed, self.context)?,
            envelope(&usage, self.context)?,
        ];
        match store::complete(&self.deps.table, &after, &[&events[0], &events[1]]).await {
            Ok(()) => {
                self.job = after;
                Ok(())
            }
            Err(TransitionError::Moved) => Err(self.why_moved().await),
            Err(TransitionError::Store(error)) => Err(error.into()),
        }
    }
}
