//! Jouvence's YAML cases: our parse turned into their output codes (see
//! fixtures/jouvence/OUTPUT-CODES.txt) must equal theirs, after a normalisation both sides
//! get: Jouvence keeps the blank lines between paragraphs inside action (`"!\nText"`, or
//! `"!"` alone for extra blank lines), we keep paragraphs as separate elements and no empty
//! ones. Then every input must round-trip.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::{assert_only_documented_differences, assert_round_trips, file_name, fixture_files};
use fountain_text::{Content, DialoguePart, Screenplay};
use yaml_rust2::{Yaml, YamlLoader};

/// Cases named as Jouvence names them (`<file>_<index>`), each explained in CONFORMANCE.md.
const DOCUMENTED_DIFFERENCES: &[&str] = &["test_boneyard.yaml_1"];

struct Case {
    name: String,
    input: String,
    expected: Vec<String>,
    title: Option<BTreeMap<String, String>>,
}

#[test]
fn jouvence_cases_parse_to_their_expected_codes() {
    let cases = cases();
    assert_eq!(cases.len(), 46, "the fixture files hold 46 cases");
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(why) = check(case) {
            failures.push((case.name.clone(), why));
        }
    }
    assert_only_documented_differences("jouvence", &failures, DOCUMENTED_DIFFERENCES, cases.len());
}

/// The cases' inputs, named as above, for the API round trip in `tests/tests/fountain_api.rs`
/// (that crate reads no YAML). Derived from the YAML files; this test keeps it current.
const INPUTS_JSON: &str = "tests/fixtures/jouvence-inputs.json";

#[test]
fn the_derived_inputs_json_is_current() {
    let inputs: serde_json::Map<String, serde_json::Value> = cases()
        .into_iter()
        .map(|case| (case.name, serde_json::Value::String(case.input)))
        .collect();
    let wanted = serde_json::to_string_pretty(&inputs).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(INPUTS_JSON);
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &wanted).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == wanted,
        "{INPUTS_JSON} is stale: run `UPDATE_FIXTURES=1 cargo test -p fountain-text --test conformance_jouvence`"
    );
}

#[test]
fn jouvence_inputs_round_trip() {
    for case in cases() {
        assert_round_trips(&case.name, &case.input);
    }
}

fn check(case: &Case) -> Result<(), String> {
    let screenplay = fountain_text::parse(&case.input).map_err(|error| error.to_string())?;
    let actual = normalise(codes(&screenplay));
    let expected = normalise(case.expected.clone());
    if actual != expected {
        return Err(format!("  ours:   {actual:?}\n  theirs: {expected:?}"));
    }
    if let Some(title) = &case.title {
        let ours: BTreeMap<String, String> = screenplay
            .title_page
            .iter()
            .map(|entry| (entry.key.to_lowercase(), entry.value.clone()))
            .collect();
        if &ours != title {
            return Err(format!("  title ours: {ours:?}\n  theirs: {title:?}"));
        }
    }
    Ok(())
}

/// Our elements as Jouvence output codes. Notes and boneyard have no code (Jouvence drops
/// them).
fn codes(screenplay: &Screenplay) -> Vec<String> {
    let mut codes = Vec::new();
    for element in &screenplay.elements {
        match &element.content {
            Content::SceneHeading { text, .. } => codes.push(format!(".{text}")),
            Content::Action { text } => codes.push(format!("!{text}")),
            Content::Centered { text } => codes.push(format!("!><{text}")),
            Content::Dialogue(dialogue) => {
                let mut cue = dialogue.character.clone();
                for extension in &dialogue.extensions {
                    cue.push_str(&format!(" ({extension})"));
                }
                codes.push(format!("@{cue}"));
                for part in &dialogue.parts {
                    match part {
                        DialoguePart::Parenthetical(text) => codes.push(format!("_{text}")),
                        DialoguePart::Speech(text) => codes.push(format!("={text}")),
                    }
                }
            }
            Content::Transition { text } => codes.push(format!(">{text}")),
            Content::Lyric { text } => codes.push(format!("~{text}")),
            Content::Section { title, .. } => codes.push(format!("#{title}")),
            Content::Synopsis { text } => codes.push(format!("+{text}")),
            Content::PageBreak => codes.push("<pagebreak>".to_string()),
            Content::Note { .. } | Content::Boneyard { .. } => {}
        }
    }
    codes
}

/// Action codes become one code per paragraph (lines without trailing whitespace, empty
/// paragraphs dropped); centered text is trimmed. Other codes are compared as they are.
fn normalise(codes: Vec<String>) -> Vec<String> {
    let mut normal = Vec::new();
    for code in codes {
        if let Some(text) = code.strip_prefix("!><") {
            normal.push(format!("!><{}", text.trim()));
        } else if let Some(text) = code.strip_prefix('!') {
            let mut paragraph: Vec<&str> = Vec::new();
            for line in text.split('\n').chain(std::iter::once("")) {
                if line.trim().is_empty() {
                    if !paragraph.is_empty() {
                        normal.push(format!("!{}", paragraph.join("\n")));
                        paragraph.clear();
                    }
                } else {
                    paragraph.push(line.trim_end());
                }
            }
        } else {
            normal.push(code);
        }
    }
    normal
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for path in fixture_files("jouvence", "yaml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let documents = YamlLoader::load_from_str(&text).unwrap();
        for (index, document) in documents.iter().enumerate() {
            cases.push(Case {
                name: format!("{}_{index}", file_name(&path)),
                input: document["in"].as_str().unwrap().to_string(),
                expected: document["out"]
                    .as_vec()
                    .unwrap()
                    .iter()
                    .map(|code| code.as_str().unwrap().to_string())
                    .collect(),
                title: title(&document["title"]),
            });
        }
    }
    cases
}

fn title(yaml: &Yaml) -> Option<BTreeMap<String, String>> {
    let hash = yaml.as_hash()?;
    Some(
        hash.iter()
            .map(|(key, value)| {
                (
                    key.as_str().unwrap().to_lowercase(),
                    value.as_str().unwrap().to_string(),
                )
            })
            .collect(),
    )
}
