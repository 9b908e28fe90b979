//! scripts list|show|delete, import, export.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use reqwest::Method;
use serde_json::{Value, json};

use crate::client::{Api, checked, json_of};
use crate::error::CliError;
use crate::output::{self, Output};
use crate::progress;

#[derive(Debug, Subcommand)]
pub enum Scripts {
    /// The scripts you are a member of (any role), oldest first.
    List,
    /// One script.
    Show {
        /// The script's id.
        script: String,
    },
    /// Delete a script (its owner only).
    Delete {
        /// The script's id.
        script: String,
        /// Why, stored with the change.
        #[arg(long)]
        comment: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct Import {
    /// A Fountain 1.1 file (UTF-8, at most 2 MB).
    file: PathBuf,
    /// The script's title, instead of the title page's.
    #[arg(long)]
    title: Option<String>,
    /// Why, stored with the script.
    #[arg(long)]
    comment: Option<String>,
}

#[derive(Debug, Args)]
pub struct Export {
    /// The script's id.
    script: String,
    /// Write the Fountain text to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub async fn scripts(api: &mut Api, out: Output, command: Scripts) -> Result<(), CliError> {
    match command {
        Scripts::List => list(api, out).await,
        Scripts::Show { script } => {
            let script = api.get_json(&["scripts", &script], &[]).await?;
            if out.json {
                return out.json(&script);
            }
            out.record(vec![
                ("id", output::text(&script, "scriptId")),
                ("title", output::text(&script, "title")),
                ("author", output::text(&script, "author")),
                ("description", output::text(&script, "description")),
                ("owner", output::text(&script, "ownerId")),
                ("revision", output::text(&script, "revision")),
                ("created", output::time(&script, "createdAt")),
                ("updated", output::time(&script, "updatedAt")),
                ("comment", output::text(&script, "comment")),
            ])
        }
        Scripts::Delete { script, comment } => {
            let body = comment.map(|c| json!({ "comment": c }));
            api.call_json(Method::DELETE, &["scripts", &script], body.as_ref())
                .await?;
            if out.json {
                return out.json(&json!({ "scriptId": script, "deleted": true }));
            }
            out.note(&format!("Deleted script {script}."));
            Ok(())
        }
    }
}

/// Every page of `GET /scripts`.
async fn list(api: &mut Api, out: Output) -> Result<(), CliError> {
    let mut scripts = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("limit", "100")];
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor));
        }
        let page = api.get_json(&["scripts"], &query).await?;
        scripts.extend(output::items(&page));
        match page.get("nextCursor").and_then(Value::as_str) {
            Some(next) if !next.is_empty() => cursor = Some(next.to_owned()),
            _ => break,
        }
    }
    if out.json {
        return out.json(&json!({ "items": scripts }));
    }
    if out.quiet {
        for script in &scripts {
            out.line(&output::text(script, "scriptId"))?;
        }
        return Ok(());
    }
    if scripts.is_empty() {
        out.note("No scripts yet: `fountain import FILE.fountain` makes one.");
        return Ok(());
    }
    let rows = scripts
        .iter()
        .map(|s| {
            vec![
                output::text(s, "scriptId"),
                output::text(s, "title"),
                output::text(s, "author"),
                output::text(s, "revision"),
                output::time(s, "updatedAt"),
            ]
        })
        .collect();
    out.table(&["id", "title", "author", "revision", "updated"], rows)
}

/// From this size on, an upload shows a progress bar.
const LARGE: u64 = 256 * 1024;

pub async fn import(api: &mut Api, out: Output, args: Import) -> Result<(), CliError> {
    let shown = args.file.display().to_string();
    let metadata = std::fs::metadata(&args.file)
        .map_err(|e| CliError::Usage(format!("cannot read {shown}: {e}")))?;
    if !metadata.is_file() {
        return Err(CliError::Usage(format!("{shown} is not a file")));
    }
    let len = metadata.len();
    let url = api.endpoint(&["scripts", "import"])?;
    let mut query = Vec::new();
    if let Some(title) = &args.title {
        query.push(("title", title.clone()));
    }
    if let Some(comment) = &args.comment {
        query.push(("comment", comment.clone()));
    }
    // A small file is sent before a bar could be read: only a large one gets one.
    let bar = progress::bytes(len, "uploading", out.quiet || len < LARGE);
    let response = api
        .send(|http| {
            // Opened for each attempt: a retry after a renewed session sends it again.
            let file = std::fs::File::open(&args.file)
                .map_err(|e| CliError::Usage(format!("cannot read {shown}: {e}")))?;
            bar.reset();
            Ok(http
                .post(url.clone())
                .query(&query)
                .header("content-type", "text/plain; charset=utf-8")
                .header("content-length", len)
                .body(progress::upload_body(file, bar.clone())))
        })
        .await;
    bar.finish_and_clear();
    let script = json_of(response?).await?;
    if out.json {
        return out.json(&script);
    }
    if out.quiet {
        return out.line(&output::text(&script, "scriptId"));
    }
    out.record(vec![
        ("id", output::text(&script, "scriptId")),
        ("title", output::text(&script, "title")),
        ("author", output::text(&script, "author")),
        ("sections", output::text(&script, "sections")),
        ("elements", output::text(&script, "elements")),
        ("characters", output::text(&script, "characters")),
    ])
}

pub async fn export(api: &mut Api, out: Output, args: Export) -> Result<(), CliError> {
    let url = api.endpoint(&["scripts", &args.script, "fountain"])?;
    let response = checked(api.send(|http| Ok(http.get(url.clone()))).await?).await?;
    let base = api.base().to_owned();
    let text = response
        .bytes()
        .await
        .map_err(|e| CliError::unreachable(&base, &e))?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text)
                .map_err(|e| CliError::Local(format!("cannot write {}: {e}", path.display())))?;
            if out.quiet {
                return out.line(&path.display().to_string());
            }
            out.note(&format!(
                "Wrote {} ({}).",
                path.display(),
                output::size(text.len() as u64)
            ));
            Ok(())
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(&text).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(CliError::Local(format!("cannot write to stdout: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}
