//! Screenplain's cases: the sequence of element kinds (with scene numbers, section depths,
//! parentheticals and the dual mark) read from their expected HTML must equal ours; every
//! input must round-trip. Notes and boneyard are not in their HTML, so not in ours.

#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_only_documented_differences, assert_round_trips, file_name, fixture_files};
use fountain_text::{Content, DialoguePart, Screenplay};

/// Screenplain file names, each explained in CONFORMANCE.md.
const DOCUMENTED_DIFFERENCES: &[&str] = &[];

#[test]
fn screenplain_cases_have_the_element_kinds_of_their_html() {
    let inputs = fixture_files("screenplain", "fountain");
    let mut failures = Vec::new();
    let mut compared = 0;
    for input in &inputs {
        let Ok(html) = std::fs::read_to_string(input.with_extension("html")) else {
            continue; // title-page.fountain has no HTML expectation; it round-trips below
        };
        compared += 1;
        let name = file_name(input);
        let source = std::fs::read_to_string(input).unwrap();
        let ours = match fountain_text::parse(&source) {
            Ok(screenplay) => kinds(&screenplay),
            Err(error) => {
                failures.push((name, error.to_string()));
                continue;
            }
        };
        let theirs = html_kinds(&html);
        if ours != theirs {
            failures.push((name, format!("  ours:   {ours:?}\n  theirs: {theirs:?}")));
        }
    }
    assert_eq!(compared, 16, "16 of the 17 inputs have an HTML expectation");
    assert_only_documented_differences("screenplain", &failures, DOCUMENTED_DIFFERENCES, compared);
}

#[test]
fn screenplain_inputs_round_trip() {
    for input in fixture_files("screenplain", "fountain") {
        let source = std::fs::read_to_string(&input).unwrap();
        assert_round_trips(&file_name(&input), &source);
    }
}

#[test]
fn screenplain_title_page_keeps_keys_and_multi_line_values() {
    let source =
        std::fs::read_to_string(common::fixtures("screenplain").join("title-page.fountain"))
            .unwrap();
    let screenplay = fountain_text::parse(&source).unwrap();
    let entries: Vec<(&str, &str)> = screenplay
        .title_page
        .iter()
        .map(|entry| (entry.key.as_str(), entry.value.as_str()))
        .collect();
    assert_eq!(
        entries,
        vec![
            ("Title", "My Screenplay"),
            ("Author", "Your Name"),
            ("Contact", "your.email@example.com\n(555) 123-4567"),
        ]
    );
    assert_eq!(kinds(&screenplay), vec!["action", "action"]);
}

fn kinds(screenplay: &Screenplay) -> Vec<String> {
    let mut kinds = Vec::new();
    for element in &screenplay.elements {
        match &element.content {
            Content::SceneHeading {
                scene_number: Some(number),
                ..
            } => kinds.push(format!("scene #{number}")),
            Content::SceneHeading { .. } => kinds.push("scene".to_string()),
            Content::Action { .. } => kinds.push("action".to_string()),
            Content::Dialogue(dialogue) => {
                kinds.push(
                    if dialogue.dual {
                        "dual dialogue"
                    } else {
                        "dialogue"
                    }
                    .to_string(),
                );
                for part in &dialogue.parts {
                    if let DialoguePart::Parenthetical(_) = part {
                        kinds.push("parenthetical".to_string());
                    }
                }
            }
            Content::Transition { .. } => kinds.push("transition".to_string()),
            Content::Centered { .. } => kinds.push("centered".to_string()),
            Content::Lyric { .. } => kinds.push("lyrics".to_string()),
            Content::Section { depth, .. } => kinds.push(format!("section {depth}")),
            Content::Synopsis { .. } => kinds.push("synopsis".to_string()),
            Content::PageBreak => kinds.push("page-break".to_string()),
            Content::Note { .. } | Content::Boneyard { .. } => {}
        }
    }
    kinds
}

/// The element kinds screenplain's HTML shows, in order, read from its opening tags:
/// `<h6>` scene (its `page-break` class is a page break before it, its `scnuml` span the
/// scene number), `<h1>`..`<h5>` sections, `<span class="hN-synopsis">`, `<div>` blocks by
/// class (`dual` holds a `left` and a `right` dialogue) and parenthetical paragraphs.
fn html_kinds(html: &str) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let Some(length) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start + 1..start + length];
        let after_tag = &rest[start + length + 1..];
        rest = after_tag;
        if tag.starts_with('/') {
            continue;
        }
        let name = tag.split_whitespace().next().unwrap_or_default();
        let class = tag
            .split_once("class=\"")
            .and_then(|(_, value)| value.split_once('"'))
            .map(|(class, _)| class)
            .unwrap_or_default();
        match (name, class) {
            ("h6", class) => {
                if class == "page-break" {
                    kinds.push("page-break".to_string());
                }
                kinds.push("scene".to_string());
            }
            ("h1" | "h2" | "h3" | "h4" | "h5", _) => kinds.push(format!("section {}", &name[1..])),
            ("span", "scnuml") => {
                let number = after_tag.split('<').next().unwrap_or_default();
                if let Some(last) = kinds.last_mut() {
                    *last = format!("scene #{number}");
                }
            }
            ("span", class) if class.ends_with("-synopsis") => kinds.push("synopsis".to_string()),
            ("div", "dialog" | "left") => kinds.push("dialogue".to_string()),
            ("div", "right") => kinds.push("dual dialogue".to_string()),
            ("div", "dual") => {}
            ("div", class) => kinds.push(class.to_string()),
            ("p", "parenthetical") => kinds.push("parenthetical".to_string()),
            _ => {}
        }
    }
    kinds
}
