//! The files are valid by their own tools: `lilypond` compiles the score to a PDF and
//! `csound` renders the .csd to a WAV file, both under `timeout` with stdin from /dev/null.
//! A missing tool fails the test: ./infra/test.sh installs them.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use fountain_orchestration::{CSOUND_FILE, LILYPOND_FILE, MIDI_FILE, orchestrate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A fresh directory of its own for one test, removed when the test passes.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> std::io::Result<TempDir> {
        let path = std::env::temp_dir().join(format!(
            "fountain-orchestration-{}-{name}",
            std::process::id()
        ));
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn write_small_story(dir: &Path) -> TestResult {
    let (voices, beats) = common::small_story();
    let files = orchestrate("Breakfast \"in\" the Rain \\ Zoë", &voices, &beats)?.render()?;
    for (name, _, bytes) in files.entries() {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}

fn require(tool: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        found,
        "`{tool}` is not installed: run ./infra/test.sh, which installs lilypond and csound"
    );
}

/// Runs `timeout <seconds> <args...>` in `dir` with stdin from /dev/null.
fn run(dir: &Path, seconds: u32, args: &[&str]) -> std::io::Result<(bool, String)> {
    let output = Command::new("timeout")
        .arg(seconds.to_string())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok((output.status.success(), log))
}

/// Compiles `score.ly` in `dir` to a PDF; fails on a non-zero exit, an error or a warning
/// (bar checks and ties are exact, and staves of silent characters are hidden, so not even a
/// warning is expected).
fn assert_lilypond_compiles(dir: &Path) -> TestResult {
    require("lilypond");
    let (ok, log) = run(dir, 300, &["lilypond", "--loglevel=WARN", LILYPOND_FILE])?;
    assert!(ok, "lilypond failed:\n{log}");
    let lower = log.to_lowercase();
    assert!(
        !lower.contains("error"),
        "lilypond reported an error:\n{log}"
    );
    assert!(!lower.contains("warning"), "lilypond warned:\n{log}");
    let pdf = std::fs::metadata(dir.join("score.pdf"))?;
    assert!(pdf.len() > 1000, "score.pdf is {} bytes", pdf.len());
    Ok(())
}

#[test]
fn lilypond_compiles_the_score_without_errors_or_warnings() -> TestResult {
    let dir = TempDir::new("lilypond")?;
    write_small_story(&dir.0)?;
    assert_lilypond_compiles(&dir.0)
}

#[test]
fn lilypond_compiles_a_story_of_forty_characters_without_warnings() -> TestResult {
    let dir = TempDir::new("lilypond-forty")?;
    let (voices, texts, kinds) = common::long_story(120);
    let beats = common::long_beats(&texts, &kinds);
    let files = orchestrate("Forty", &voices, &beats)?.render()?;
    std::fs::write(dir.0.join(LILYPOND_FILE), files.lilypond)?;
    assert_lilypond_compiles(&dir.0)
}

#[test]
fn csound_renders_the_csd_to_a_wav_file() -> TestResult {
    require("csound");
    let dir = TempDir::new("csound")?;
    write_small_story(&dir.0)?;
    let wav = dir.0.join("out.wav");
    let wav_arg = wav.to_string_lossy().into_owned();
    let (ok, log) = run(&dir.0, 120, &["csound", "-W", "-o", &wav_arg, CSOUND_FILE])?;
    assert!(ok, "csound failed:\n{log}");
    let size = std::fs::metadata(&wav)?.len();
    // About 19 bars of 4/4 at 96 per minute: 47 s of 16-bit stereo at 44.1 kHz (~8 MB).
    assert!(size > 1_000_000, "out.wav is {size} bytes:\n{log}");
    assert!(
        !log.contains("error:") && !log.contains("INIT ERROR") && !log.contains("PERF ERROR"),
        "csound reported an error:\n{log}"
    );
    assert!(dir.0.join(MIDI_FILE).exists());
    Ok(())
}
