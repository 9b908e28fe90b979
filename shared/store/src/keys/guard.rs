//! Keys are spelled here only: no Rust source of the workspace outside this module has a
//! string literal that starts like a key prefix (a quote, two or more of `A-Z` and `_`, then
//! `#`), tests included. Read from the sources, so a new literal fails here, naming its file
//! and line.

use std::path::{Path, PathBuf};

/// The directories whose sources are checked, from the workspace root.
const CHECKED: [&str; 4] = ["functions", "shared", "infra", "tests"];

fn crate_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .unwrap()
}

fn workspace() -> PathBuf {
    crate_dir().join("../..").canonicalize().unwrap()
}

/// This module: `keys.rs` and the `keys` directory beside it.
fn is_key_module(path: &Path) -> bool {
    let src = crate_dir().join("src");
    path.starts_with(src.join("keys")) || path == src.join("keys.rs")
}

/// The `.rs` files under `dir`; build output and hidden directories are skipped.
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, found);
            }
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
}

/// Whether `line` holds a literal that starts like a key prefix.
fn has_key_literal(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.iter().enumerate().any(|(at, byte)| {
        let name = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_uppercase() || **b == b'_')
            .count();
        *byte == b'"' && name >= 2 && bytes.get(at + 1 + name) == Some(&b'#')
    })
}

/// `file:line: text` of every line with a key literal in the files under `CHECKED`, this
/// module's own if `own`, the others' otherwise.
fn key_literals(own: bool) -> Vec<String> {
    let root = workspace();
    let mut files = Vec::new();
    for dir in CHECKED {
        rust_files(&root.join(dir), &mut files);
    }
    files.sort();
    let mut found = Vec::new();
    for path in files.iter().filter(|path| is_key_module(path) == own) {
        let text = std::fs::read_to_string(path).unwrap();
        let shown = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        for (number, line) in text.lines().enumerate() {
            if has_key_literal(line) {
                found.push(format!("{shown}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_detector_finds_key_literals_and_nothing_else() {
    for line in [
        r#"format!("SECTION#{id}")"#,
        r#"let first = "CHAR#";"#,
        r#"starts_with("ORDER#ELEMENTS#")"#,
        r#"s("STORY#CHUNK#000000000001#0001")"#,
        r#"json!({ "pk": "SCRIPT#s" })"#,
        r#"("sk", "ID_LIKE_THIS#x")"#,
    ] {
        assert!(has_key_literal(line), "{line}");
    }
    for line in [
        "/// `SECTION#<id>` in a doc comment",
        r#"let id = "abc#def";"#,
        r#"let one = "A#";"#,
        r#"let sk = "SCRIPT";"#,
        r##"r#"{"alg":"none"}"#"##,
        r#"format!("{}#{id}", keys::SECTION)"#,
    ] {
        assert!(!has_key_literal(line), "{line}");
    }
}

#[test]
fn no_key_literal_outside_the_key_module() {
    // The scan sees the sources: this module's own literals are found.
    assert!(key_literals(true).len() > 50);
    let outside = key_literals(false);
    assert!(
        outside.is_empty(),
        "key literals outside shared/store/src/keys (build keys with fountain_store::keys):\n{}",
        outside.join("\n")
    );
}
