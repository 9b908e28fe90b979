//! Prose generators for the Story Factory: the [`Generator`] trait, a deterministic
//! [`Offline`] writer (the default) and an [`OpenAiCompatible`] provider.
//!
//! A story is written in parts ([`plan_parts`]): the worker calls the generator once per
//! part, checking for cancellation and reporting progress in between, and joins the title
//! block ([`heading`]) and the parts' prose with a [`Document`]:
//!
//! ```ignore
//! let mut document = Document::new(&story);
//! for part in plan_parts(&story, config.part_budget) {
//!     // check cancellation, report progress (part.index of part.count)
//!     document.push_part(&provider.write_part(&story, &part).await?);
//! }
//! let markdown = document.finish();
//! ```

pub mod api_key;
pub mod config;
mod error;
pub mod manuscript;
mod markdown;
mod offline;
mod openai;
mod parts;
mod prompt;
mod provider;

use std::future::Future;

pub use api_key::{ApiKey, KeySource};
pub use config::{OpenAiConfig, ProseConfig, ProviderConfig};
pub use error::GenerateError;
pub use fountain_runtime::{ConfigError, Env};
pub use manuscript::Manuscript;
pub use offline::Offline;
pub use openai::OpenAiCompatible;
pub use parts::{
    DEFAULT_PART_BUDGET, Part, PieceView, SectionPiece, element_weight, plan_parts, story_weight,
};
pub use prompt::SYSTEM_PROMPT;
pub use provider::Provider;

use markdown::{escape_inline, escape_paragraphs};

/// Writes a story's prose one part at a time.
pub trait Generator: Send + Sync {
    /// Short and stable, for logs and the job record: `offline`, `openai`.
    fn name(&self) -> &'static str;

    /// The Markdown prose of one part (no title block: see [`heading`]).
    fn write_part(
        &self,
        story: &Manuscript,
        part: &Part,
    ) -> impl Future<Output = Result<String, GenerateError>> + Send;
}

/// The document's title block: title, author, description. Written by rule whatever the
/// generator, so every story.md opens the same way and a model cannot get the title wrong.
pub fn heading(story: &Manuscript) -> String {
    let title = escape_inline(&story.title);
    let mut blocks = vec![format!(
        "# {}",
        if title.is_empty() { "Untitled" } else { &title }
    )];
    if let Some(author) = story.author.as_deref().map(escape_inline)
        && !author.is_empty()
    {
        blocks.push(format!("*by {author}*"));
    }
    if let Some(description) = story.description.as_deref().map(escape_paragraphs)
        && !description.is_empty()
    {
        blocks.push(description);
    }
    blocks.join("\n\n")
}

/// story.md being put together: the heading, then each part's prose as it arrives, one
/// blank line between them.
#[derive(Debug, Clone)]
pub struct Document {
    markdown: String,
}

impl Document {
    pub fn new(story: &Manuscript) -> Self {
        Self {
            markdown: heading(story),
        }
    }

    /// Appends a part's prose; surrounding whitespace is dropped so that the parts join with
    /// exactly one blank line whatever a provider's reply ends with.
    pub fn push_part(&mut self, prose: &str) {
        let prose = prose.trim();
        if !prose.is_empty() {
            self.markdown.push_str("\n\n");
            self.markdown.push_str(prose);
        }
    }

    /// The Markdown, ending with a newline.
    pub fn finish(mut self) -> String {
        self.markdown.push('\n');
        self.markdown
    }
}

/// The whole story in one go, for tests and benchmarks; the worker goes part by part.
pub async fn write_all<G: Generator>(
    generator: &G,
    story: &Manuscript,
    budget: usize,
) -> Result<String, GenerateError> {
    let mut document = Document::new(story);
    for part in plan_parts(story, budget) {
        document.push_part(&generator.write_part(story, &part).await?);
    }
    Ok(document.finish())
}
