//! What each event says to its user: the kind, a short title, a body in words and the link
//! to what it is about. Pure, so every wording is tested without a table.

use chrono::{DateTime, Utc};
use fountain_events::catalog::{
    StoryGenerationCompleted, StoryGenerationFailed, UsageLimitReached,
};
use fountain_events::{Consumes, DecodeError, EventEnvelope};

use crate::model::NotificationKind;

fountain_events::one_of! {
    /// The events that make a notification (their rule in template.yaml delivers these).
    pub enum Notifying {
        StoryGenerationCompleted,
        StoryGenerationFailed,
        UsageLimitReached,
    }
}

/// A notification before it has an id and a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Whose inbox it goes to.
    pub user_id: String,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub job_id: Option<String>,
}

/// The API path of a generation job.
pub fn job_link(job_id: &str) -> String {
    format!("/generations/{job_id}")
}

/// The notification `envelope` makes: `Ok(None)` for an event that notifies nobody, an
/// error for one of the notifying types whose data cannot be read.
pub fn draft(envelope: &EventEnvelope) -> Result<Option<Draft>, DecodeError> {
    if !Notifying::EVENTS.includes(&envelope.event_type) {
        return Ok(None);
    }
    Ok(Some(draft_of(&Notifying::decode(envelope)?)))
}

/// The notification a notifying event makes.
pub fn draft_of(event: &Notifying) -> Draft {
    match event {
        Notifying::StoryGenerationCompleted(event) => completed(event),
        Notifying::StoryGenerationFailed(event) => failed(event),
        Notifying::UsageLimitReached(event) => limit_reached(event),
    }
}

pub fn completed(event: &StoryGenerationCompleted) -> Draft {
    let files = match event.outputs.len() {
        0 => "no files".to_owned(),
        1 => "1 file".to_owned(),
        count => format!("{count} files"),
    };
    let names = event
        .outputs
        .iter()
        .map(|output| output.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let listed = if names.is_empty() {
        String::new()
    } else {
        format!(" ({names})")
    };
    Draft {
        user_id: event.owner_id.clone(),
        kind: NotificationKind::GenerationCompleted,
        title: "Your story is ready".into(),
        body: format!(
            "Generation job {} finished: {files}{listed} from story revision {}.",
            event.job_id, event.story_revision
        ),
        link: Some(job_link(&event.job_id)),
        job_id: Some(event.job_id.clone()),
    }
}

pub fn failed(event: &StoryGenerationFailed) -> Draft {
    let attempts = match event.attempts {
        1 => "1 attempt".to_owned(),
        count => format!("{count} attempts"),
    };
    let reason = event.reason.trim();
    let reason = if reason.is_empty() {
        "no reason was given"
    } else {
        reason
    };
    Draft {
        user_id: event.owner_id.clone(),
        kind: NotificationKind::GenerationFailed,
        title: "Your story could not be generated".into(),
        body: format!(
            "Generation job {} failed after {attempts}: {}",
            event.job_id,
            sentence(reason)
        ),
        link: Some(job_link(&event.job_id)),
        job_id: Some(event.job_id.clone()),
    }
}

pub fn limit_reached(event: &UsageLimitReached) -> Draft {
    let jobs = match event.limit {
        1 => "1 generation job".to_owned(),
        count => format!("{count} generation jobs"),
    };
    Draft {
        user_id: event.user_id.clone(),
        kind: NotificationKind::UsageLimitReached,
        title: "Daily generation limit reached".into(),
        body: format!(
            "You have used all {jobs} of your {} plan for {}. The quota resets at {}.",
            event.plan,
            event.day,
            reset_time(&event.resets_at)
        ),
        link: None,
        job_id: None,
    }
}

/// `2026-11-26T00:00:00Z` as `2026-11-26 00:00 UTC`; anything unreadable as it was given.
fn reset_time(resets_at: &str) -> String {
    DateTime::parse_from_rfc3339(resets_at)
        .map(|at| {
            at.with_timezone(&Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        })
        .unwrap_or_else(|_| resets_at.to_owned())
}

/// The text ending in a full stop (or the mark it already ends with).
fn sentence(text: &str) -> String {
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fountain_events::EventContext;
    use fountain_events::catalog::{GenerationOutput, StoryGenerationStarted};

    const JOB: &str = "01JCX6JOB0000000000000001A";

    fn output(name: &str) -> GenerationOutput {
        GenerationOutput {
            name: name.into(),
            content_type: "text/plain".into(),
            bytes: 10,
            sha256: "00".into(),
        }
    }

    fn completed_event(outputs: Vec<GenerationOutput>) -> StoryGenerationCompleted {
        StoryGenerationCompleted {
            job_id: JOB.into(),
            owner_id: "alice".into(),
            script_id: "01JCX3ZK0M5V6Q7R8S9T0W1X2Y".into(),
            story_revision: 7,
            outputs,
            attempt: 1,
        }
    }

    fn failed_event(reason: &str, attempts: u32) -> StoryGenerationFailed {
        StoryGenerationFailed {
            job_id: JOB.into(),
            owner_id: "bob".into(),
            script_id: "01JCX3ZK0M5V6Q7R8S9T0W1X2Y".into(),
            reason: reason.into(),
            attempts,
        }
    }

    fn limit_event(limit: u32, resets_at: &str) -> UsageLimitReached {
        UsageLimitReached {
            user_id: "carol".into(),
            day: "2026-11-25".into(),
            plan: "free".into(),
            limit,
            resets_at: resets_at.into(),
        }
    }

    fn envelope<E: fountain_events::DomainEvent>(event: &E) -> EventEnvelope {
        EventEnvelope::new(event, &EventContext::default()).unwrap()
    }

    #[test]
    fn a_completed_job_is_ready_with_its_files_and_a_link_for_its_owner() {
        let draft = completed(&completed_event(vec![
            output("story.md"),
            output("score.ly"),
        ]));
        assert_eq!(draft.user_id, "alice");
        assert_eq!(draft.kind, NotificationKind::GenerationCompleted);
        assert_eq!(draft.title, "Your story is ready");
        assert_eq!(
            draft.body,
            format!(
                "Generation job {JOB} finished: 2 files (story.md, score.ly) from story revision 7."
            )
        );
        assert_eq!(draft.link.as_deref(), Some(&*format!("/generations/{JOB}")));
        assert_eq!(draft.job_id.as_deref(), Some(JOB));
        assert_eq!(
            completed(&completed_event(vec![output("story.md")])).body,
            format!("Generation job {JOB} finished: 1 file (story.md) from story revision 7.")
        );
        assert_eq!(
            completed(&completed_event(Vec::new())).body,
            format!("Generation job {JOB} finished: no files from story revision 7.")
        );
    }

    #[test]
    fn a_failed_job_says_why_and_after_how_many_attempts() {
        let draft = failed(&failed_event("the generator timed out", 5));
        assert_eq!(draft.user_id, "bob");
        assert_eq!(draft.kind, NotificationKind::GenerationFailed);
        assert_eq!(draft.title, "Your story could not be generated");
        assert_eq!(
            draft.body,
            format!("Generation job {JOB} failed after 5 attempts: the generator timed out.")
        );
        assert_eq!(draft.link.as_deref(), Some(&*format!("/generations/{JOB}")));
        assert_eq!(
            failed(&failed_event("The script is empty.", 1)).body,
            format!("Generation job {JOB} failed after 1 attempt: The script is empty.")
        );
        assert_eq!(
            failed(&failed_event("  ", 2)).body,
            format!("Generation job {JOB} failed after 2 attempts: no reason was given.")
        );
    }

    #[test]
    fn a_reached_limit_says_the_plan_and_when_the_quota_resets_without_a_link() {
        let draft = limit_reached(&limit_event(3, "2026-11-26T00:00:00Z"));
        assert_eq!(draft.user_id, "carol");
        assert_eq!(draft.kind, NotificationKind::UsageLimitReached);
        assert_eq!(draft.title, "Daily generation limit reached");
        assert_eq!(
            draft.body,
            "You have used all 3 generation jobs of your free plan for 2026-11-25. \
             The quota resets at 2026-11-26 00:00 UTC."
        );
        assert_eq!(draft.link, None);
        assert_eq!(draft.job_id, None);
        assert!(
            limit_reached(&limit_event(1, "2026-11-26T01:00:00+01:00"))
                .body
                .contains("all 1 generation job of your free plan")
        );
        assert!(
            limit_reached(&limit_event(1, "2026-11-26T01:00:00+01:00"))
                .body
                .ends_with("resets at 2026-11-26 00:00 UTC.")
        );
        assert!(
            limit_reached(&limit_event(2, "tomorrow"))
                .body
                .ends_with("resets at tomorrow.")
        );
    }

    #[test]
    fn each_notifying_event_drafts_its_kind_and_others_draft_nothing() {
        let kinds = [
            envelope(&completed_event(vec![output("story.md")])),
            envelope(&failed_event("boom", 1)),
            envelope(&limit_event(3, "2026-11-26T00:00:00Z")),
        ]
        .iter()
        .map(|e| draft(e).unwrap().unwrap().kind)
        .collect::<Vec<_>>();
        assert_eq!(
            kinds,
            [
                NotificationKind::GenerationCompleted,
                NotificationKind::GenerationFailed,
                NotificationKind::UsageLimitReached
            ]
        );
        let started = envelope(&StoryGenerationStarted {
            job_id: JOB.into(),
            owner_id: "alice".into(),
            script_id: "01JCX3ZK0M5V6Q7R8S9T0W1X2Y".into(),
            attempt: 1,
        });
        assert_eq!(draft(&started).unwrap(), None);
        assert_eq!(
            Notifying::EVENTS,
            fountain_events::Events::Only(&[
                "StoryGenerationCompleted",
                "StoryGenerationFailed",
                "UsageLimitReached"
            ])
        );
    }

    #[test]
    fn a_notifying_event_with_unreadable_data_is_an_error() {
        let mut broken = envelope(&failed_event("boom", 1));
        broken.data = serde_json::json!({ "jobId": JOB });
        assert!(draft(&broken).is_err());
    }
}
