//! Progress bars (indicatif, on stderr, only where someone is watching: a terminal and no
//! --quiet) and the upload body that moves one as its bytes go out.

use std::io::IsTerminal;

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::io::AsyncReadExt;

/// Whether bars are drawn: stderr is a terminal and the user did not ask for quiet.
pub fn visible(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

fn styled(bar: ProgressBar, template: &str) -> ProgressBar {
    match ProgressStyle::with_template(template) {
        Ok(style) => bar.with_style(style.progress_chars("=> ")),
        // A template is ours, not the user's; a bad one still leaves the default bar.
        Err(_) => bar,
    }
}

/// A bar over `len` bytes.
pub fn bytes(len: u64, what: &str, quiet: bool) -> ProgressBar {
    if !visible(quiet) {
        return ProgressBar::hidden();
    }
    styled(
        ProgressBar::new(len),
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    )
    .with_message(what.to_owned())
}

/// A bar over a job's 0-100 progress, its message the job's state.
pub fn job(quiet: bool) -> ProgressBar {
    if !visible(quiet) {
        return ProgressBar::hidden();
    }
    let bar = styled(
        ProgressBar::new(100),
        "{spinner} [{bar:30}] {pos:>3}% {elapsed_precise} {msg}",
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The file as a request body read in chunks, moving `bar` as each chunk is sent.
pub fn upload_body(file: std::fs::File, bar: ProgressBar) -> reqwest::Body {
    const CHUNK: usize = 64 * 1024;
    let file = tokio::fs::File::from_std(file);
    let chunks = futures::stream::unfold(Some(file), move |state| async move {
        let mut file = state?;
        let mut buffer = vec![0_u8; CHUNK];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(read) => {
                buffer.truncate(read);
                Some((Ok::<_, std::io::Error>(buffer), Some(file)))
            }
            // The error ends the body; the request fails with it.
            Err(e) => Some((Err(e), None)),
        }
    })
    .inspect(move |chunk| {
        if let Ok(chunk) = chunk {
            bar.inc(chunk.len() as u64);
        }
    });
    reqwest::Body::wrap_stream(chunks)
}
