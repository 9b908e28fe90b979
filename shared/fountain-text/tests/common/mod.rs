//! Helpers shared by the conformance and round-trip tests.

#![allow(dead_code)] // each test binary uses its own subset
#![allow(clippy::unwrap_used)] // test helpers: a missing fixture should fail the test

use std::path::{Path, PathBuf};

use fountain_text::{Screenplay, parse, write};

pub fn fixtures(source: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(source)
}

/// The fixture files of `source` ending in `extension`, sorted by name.
pub fn fixture_files(source: &str, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures(source))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    files.sort();
    files
}

pub fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// `parse(write(parse(x))) == parse(x)` apart from line spans; the first parse's result.
pub fn assert_round_trips(name: &str, source: &str) -> Screenplay {
    let parsed = parse(source).unwrap_or_else(|error| panic!("{name}: {error}"));
    let written = write(&parsed);
    let again = parse(&written)
        .unwrap_or_else(|error| panic!("{name}: the written text fails: {error}\n{written}"));
    assert_eq!(
        again.without_spans(),
        parsed.without_spans(),
        "{name}: written as\n{written}"
    );
    parsed
}

/// Compares the outcome of every case with the documented differences: a listed case
/// must fail (else the list is stale) and every other case must pass.
pub fn assert_only_documented_differences(
    source: &str,
    failures: &[(String, String)],
    documented: &[&str],
    cases: usize,
) {
    let failed: Vec<&str> = failures.iter().map(|(name, _)| name.as_str()).collect();
    let undocumented: Vec<String> = failures
        .iter()
        .filter(|(name, _)| !documented.contains(&name.as_str()))
        .map(|(name, why)| format!("{name}:\n{why}"))
        .collect();
    let now_passing: Vec<&&str> = documented
        .iter()
        .filter(|name| !failed.contains(name))
        .collect();
    assert!(
        undocumented.is_empty(),
        "{source}: {} of {cases} cases differ without a note in CONFORMANCE.md:\n\n{}",
        undocumented.len(),
        undocumented.join("\n\n")
    );
    assert!(
        now_passing.is_empty(),
        "{source}: these cases now pass; remove them from CONFORMANCE.md and the test: {now_passing:?}"
    );
    eprintln!(
        "{source}: {} of {cases} cases pass, {} documented differences",
        cases - failures.len(),
        failures.len()
    );
}
