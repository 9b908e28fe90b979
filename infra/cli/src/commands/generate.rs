//! generate: queue a job; with --wait, follow it (a progress bar; Ctrl-C offers to cancel)
//! and download its outputs.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use indicatif::ProgressBar;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::client::{Api, json_of};
use crate::error::CliError;
use crate::output::{self, Output};
use crate::progress;

#[derive(Debug, Args)]
pub struct Generate {
    /// The script's id.
    script: String,
    /// A working session of yours whose context enriches the story.
    #[arg(long, value_name = "SESSION_ID")]
    session: Option<String>,
    /// Why, stored with the job.
    #[arg(long)]
    comment: Option<String>,
    /// Follow the job to its end and download its outputs.
    #[arg(long)]
    wait: bool,
    /// Where the outputs go [default: ./<jobId>/].
    #[arg(long, requires = "wait", value_name = "DIR")]
    out: Option<PathBuf>,
    /// Seconds between looks at the job while waiting.
    #[arg(long, default_value_t = 1.0, value_parser = interval, value_name = "SECONDS")]
    interval: f64,
}

fn interval(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if (0.2..=60.0).contains(&seconds) => Ok(seconds),
        _ => Err("0.2 to 60 seconds".to_owned()),
    }
}

pub async fn generate(api: &mut Api, out: Output, args: Generate) -> Result<(), CliError> {
    let body = json!({ "sessionId": args.session, "comment": args.comment });
    let url = api.endpoint(&["scripts", &args.script, "generations"])?;
    // One key per run: if the request is sent again (after a renewed session), it is the
    // same job, not a second one.
    let key = idempotency_key();
    let response = api
        .send(|http| {
            Ok(http
                .post(url.clone())
                .header("idempotency-key", &key)
                .json(&body))
        })
        .await?;
    let job = json_of(response).await?;
    let job_id = output::text(&job, "jobId");
    if !args.wait {
        if out.json {
            return out.json(&job);
        }
        if out.quiet {
            return out.line(&job_id);
        }
        return out.record(vec![
            ("job", job_id),
            ("script", output::text(&job, "scriptId")),
            ("status", output::text(&job, "status")),
            ("created", output::time(&job, "createdAt")),
        ]);
    }
    let mut source = Polling {
        job_id: job_id.clone(),
        interval: Duration::from_secs_f64(args.interval),
    };
    let job = follow(api, out, &mut source, job).await?;
    match job.get("status").and_then(Value::as_str) {
        Some("succeeded") => {}
        Some(status) => {
            let reason = job
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or("no reason given");
            if out.json {
                out.json(&job)?;
            }
            return Err(CliError::Failed(format!("job {job_id} {status}: {reason}")));
        }
        None => return Err(api.not_the_api("a job without a status")),
    }
    let folder = args.out.unwrap_or_else(|| PathBuf::from(".").join(&job_id));
    let saved = download(api, out, &job, &folder).await?;
    report(out, &job, &folder, &saved)
}

fn idempotency_key() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("fountain-cli-{}-{nanos}", std::process::id())
}

/// Where news of a job comes from while waiting. [`Polling`] asks the API; a live source
/// (the WebSocket API, once it carries job progress) can take its place without changing
/// [`follow`].
pub(crate) trait JobSource {
    /// The job as it is after the last one returned (the same, when nothing changed).
    async fn next(&mut self, api: &mut Api) -> Result<Value, CliError>;
}

/// `GET /generations/{jobId}` every `interval`.
pub(crate) struct Polling {
    job_id: String,
    interval: Duration,
}

impl JobSource for Polling {
    async fn next(&mut self, api: &mut Api) -> Result<Value, CliError> {
        tokio::time::sleep(self.interval).await;
        api.get_json(&["generations", &self.job_id], &[]).await
    }
}

fn finished(job: &Value) -> bool {
    matches!(
        job.get("status").and_then(Value::as_str),
        Some("succeeded" | "failed" | "cancelled")
    )
}

/// The job's state in a few words: the bar's message, or a line when there is no bar.
fn state(job: &Value) -> String {
    let status = output::text(job, "status");
    match status.as_str() {
        "running" => match job.get("step").and_then(Value::as_str) {
            Some(step) => format!("running (done: {step})"),
            None => "running".to_owned(),
        },
        "waiting" => match job.get("lastError").and_then(Value::as_str) {
            Some(error) => format!("waiting to retry: {error}"),
            None => "waiting to retry".to_owned(),
        },
        _ => status,
    }
}

enum Next {
    Job(Value),
    Interrupted,
}

/// Follows the job from `job` until it ends: the bar shows its progress (or, without a
/// terminal, a line per change goes to stderr). Ctrl-C asks whether to cancel it.
async fn follow<S: JobSource>(
    api: &mut Api,
    out: Output,
    source: &mut S,
    mut job: Value,
) -> Result<Value, CliError> {
    let job_id = output::text(&job, "jobId");
    let bar = progress::job(out.quiet);
    let lines = !out.quiet && !progress::visible(out.quiet);
    let mut shown = String::new();
    loop {
        let now = state(&job);
        let position = job.get("progress").and_then(Value::as_u64).unwrap_or(0);
        bar.set_position(position.min(100));
        if now != shown {
            bar.set_message(format!("job {job_id}: {now}"));
            if lines {
                eprintln!("job {job_id}: {now}, {position}%");
            }
            shown = now;
        }
        if finished(&job) {
            bar.finish_and_clear();
            return Ok(job);
        }
        let next = tokio::select! {
            next = source.next(api) => Next::Job(next?),
            _ = tokio::signal::ctrl_c() => Next::Interrupted,
        };
        match next {
            Next::Job(next) => job = next,
            Next::Interrupted => {
                // Nobody can answer without a terminal: Ctrl-C only stops following.
                if !std::io::stdin().is_terminal() {
                    bar.abandon();
                    return Err(going_on(&job_id));
                }
                match ask(&bar, format!("Cancel the job {job_id}? [y/N] ")).await {
                    Answer::Yes => {
                        if let Some(cancelled) = cancel(api, &job_id).await? {
                            bar.finish_and_clear();
                            let reason = output::text(&cancelled, "status");
                            return Err(CliError::Interrupted(format!(
                                "job {job_id} {reason} at your request"
                            )));
                        }
                        // Finished meanwhile: the next look shows how.
                    }
                    Answer::No => {}
                    Answer::Again => {
                        // The bar stays as the prompt left it (the prompt still holds it).
                        eprintln!();
                        return Err(going_on(&job_id));
                    }
                }
            }
        }
    }
}

fn going_on(job_id: &str) -> CliError {
    CliError::Interrupted(format!(
        "stopped following job {job_id}; it goes on (GET /generations/{job_id})"
    ))
}

enum Answer {
    Yes,
    No,
    /// A second Ctrl-C while asking: stop following, leave the job be.
    Again,
}

/// Asks `prompt` on the terminal with the bar out of the way (the read is blocking, so it
/// runs on its own thread and the bar stays still until it is answered); a second Ctrl-C
/// stops asking.
async fn ask(bar: &ProgressBar, prompt: String) -> Answer {
    let bar = bar.clone();
    let asking = tokio::task::spawn_blocking(move || {
        bar.suspend(|| {
            eprint!("{prompt}");
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).is_ok()
                && matches!(line.trim().to_lowercase().as_str(), "y" | "yes")
        })
    });
    tokio::select! {
        answer = asking => if matches!(answer, Ok(true)) { Answer::Yes } else { Answer::No },
        _ = tokio::signal::ctrl_c() => Answer::Again,
    }
}

/// Cancels the job: its new state, or None when it had finished meanwhile (409).
async fn cancel(api: &mut Api, job_id: &str) -> Result<Option<Value>, CliError> {
    match api
        .call_json(Method::DELETE, &["generations", job_id], None)
        .await
    {
        Ok(job) => Ok(Some(job)),
        Err(CliError::Api(problem)) if problem.status == 409 => Ok(None),
        Err(other) => Err(other),
    }
}

/// One downloaded output.
struct Saved {
    path: PathBuf,
    bytes: u64,
    kind: String,
    sha256: String,
}

/// Downloads every output link of the job into `folder`, each checked against the size
/// and SHA-256 the job lists.
async fn download(
    api: &Api,
    out: Output,
    job: &Value,
    folder: &Path,
) -> Result<Vec<Saved>, CliError> {
    let links = job
        .pointer("/links/outputs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    std::fs::create_dir_all(folder)
        .map_err(|e| CliError::Local(format!("cannot create {}: {e}", folder.display())))?;
    let total = links
        .iter()
        .filter_map(|l| l.get("bytes").and_then(Value::as_u64))
        .sum();
    let bar = progress::bytes(total, "downloading", out.quiet);
    let mut saved = Vec::new();
    for link in &links {
        let name = link.get("name").and_then(Value::as_str).unwrap_or_default();
        let url = link.get("url").and_then(Value::as_str).unwrap_or_default();
        // The name becomes a file in the folder: it must be a plain file name.
        if name.is_empty()
            || Path::new(name).file_name().and_then(|n| n.to_str()) != Some(name)
            || url.is_empty()
        {
            return Err(api.not_the_api(&format!("an output link named {name:?}")));
        }
        // A presigned URL: its signature is the credential, so no bearer token goes along.
        let response = api
            .http()
            .get(url)
            .send()
            .await
            .map_err(|e| CliError::unreachable(url, &e))?;
        let response = crate::client::checked(response).await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|e| CliError::unreachable(url, &e))?;
        bar.inc(bytes.len() as u64);
        let sha256 = hex(&Sha256::digest(&bytes));
        if let Some(expected) = link.get("sha256").and_then(Value::as_str)
            && !expected.eq_ignore_ascii_case(&sha256)
        {
            return Err(CliError::Failed(format!(
                "{name} arrived damaged: its SHA-256 is {sha256}, the job lists {expected}"
            )));
        }
        let path = folder.join(name);
        std::fs::write(&path, &bytes)
            .map_err(|e| CliError::Local(format!("cannot write {}: {e}", path.display())))?;
        saved.push(Saved {
            path,
            bytes: bytes.len() as u64,
            kind: kind(name, &output::text(link, "contentType")),
            sha256,
        });
    }
    bar.finish_and_clear();
    Ok(saved)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What an output is, by its extension (the content type otherwise).
fn kind(name: &str, content_type: &str) -> String {
    let extension = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "md" => "prose (Markdown)",
        "fountain" => "screenplay (Fountain)",
        "pdf" => "screenplay (PDF)",
        "ly" => "score (LilyPond)",
        "mid" | "midi" => "score (MIDI)",
        "csd" => "score (Csound)",
        _ => content_type,
    }
    .to_owned()
}

fn report(out: Output, job: &Value, folder: &Path, saved: &[Saved]) -> Result<(), CliError> {
    if out.json {
        let files: Vec<Value> = saved
            .iter()
            .map(|s| {
                json!({
                    "path": s.path.display().to_string(),
                    "bytes": s.bytes,
                    "kind": s.kind,
                    "sha256": s.sha256,
                })
            })
            .collect();
        return out.json(&json!({ "job": job, "files": files }));
    }
    if out.quiet {
        for file in saved {
            out.line(&file.path.display().to_string())?;
        }
        return Ok(());
    }
    out.note(&format!(
        "Job {} succeeded: {} files in {}",
        output::text(job, "jobId"),
        saved.len(),
        folder.display()
    ));
    let rows = saved
        .iter()
        .map(|s| {
            vec![
                s.path.display().to_string(),
                output::size(s.bytes),
                s.kind.clone(),
            ]
        })
        .collect();
    out.table(&["file", "size", "kind"], rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_named_by_kind() {
        assert_eq!(kind("story.md", "text/markdown"), "prose (Markdown)");
        assert_eq!(kind("score.mid", "audio/midi"), "score (MIDI)");
        assert_eq!(kind("story.pdf", "application/pdf"), "screenplay (PDF)");
        assert_eq!(
            kind("extra.bin", "application/octet-stream"),
            "application/octet-stream"
        );
    }

    #[test]
    fn a_job_state_reads_well() {
        assert_eq!(state(&json!({ "status": "queued" })), "queued");
        assert_eq!(
            state(&json!({ "status": "running", "step": "prose" })),
            "running (done: prose)"
        );
        assert!(finished(&json!({ "status": "cancelled" })));
        assert!(!finished(&json!({ "status": "waiting" })));
    }
}
