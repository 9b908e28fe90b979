//! The offline writer: deterministic, complete, readable, and safe Markdown.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use fountain_prose::Manuscript;
use fountain_prose::{DEFAULT_PART_BUDGET, Generator, Offline, heading, plan_parts, write_all};
use fountain_structure::ElementKind;

async fn offline(story: &Manuscript, budget: usize) -> String {
    write_all(&Offline, story, budget).await.unwrap()
}

/// Where `needle` is in `haystack` at or after `from`, failing the test with context if not.
fn find_from(haystack: &str, needle: &str, from: usize) -> usize {
    match haystack[from..].find(needle) {
        Some(at) => from + at,
        None => panic!("{needle:?} not found after byte {from} in:\n{haystack}"),
    }
}

#[tokio::test]
async fn the_same_story_gives_the_same_bytes() {
    let story = lighthouse();
    let first = offline(&story, DEFAULT_PART_BUDGET).await;
    let second = offline(&story.clone(), DEFAULT_PART_BUDGET).await;
    assert_eq!(first, second);
}

#[tokio::test]
async fn the_part_budget_does_not_change_the_document() {
    let story = generated(40, 11);
    let whole = offline(&story, usize::MAX).await;
    for budget in [1, 60, 500, DEFAULT_PART_BUDGET] {
        assert!(plan_parts(&story, budget).len() > 1 || budget == DEFAULT_PART_BUDGET);
        assert_eq!(whole, offline(&story, budget).await, "budget {budget}");
    }
    let lighthouse = lighthouse();
    assert_eq!(
        offline(&lighthouse, usize::MAX).await,
        offline(&lighthouse, 1).await
    );
}

#[tokio::test]
async fn every_element_appears_in_order_and_the_boneyard_does_not() {
    let story = lighthouse();
    let prose = offline(&story, DEFAULT_PART_BUDGET).await;
    // Transitions are put in sentence case, so compare without case.
    let lowered = prose.to_lowercase();
    let mut at = 0;
    for section in &story.sections {
        at = find_from(
            &lowered,
            &format!("## {}", section.title.to_lowercase()),
            at,
        );
        for element in &section.elements {
            let content = &element.content;
            match content.kind {
                ElementKind::Boneyard => assert!(!prose.contains(&content.text)),
                ElementKind::PageBreak => at = find_from(&lowered, "* * *", at),
                ElementKind::Transition => at = find_from(&lowered, "cut to", at),
                _ => {
                    for line in content.text.lines().filter(|l| !l.is_empty()) {
                        at = find_from(&lowered, &line.to_lowercase(), at);
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn the_story_reads_as_prose() {
    let prose = offline(&lighthouse(), DEFAULT_PART_BUDGET).await;
    let expected_lines = [
        "# The Lighthouse",
        "*by Ada Quill*",
        "A keeper, a storm, a visitor.",
        "## INT. LIGHTHOUSE - NIGHT",
        "*The keeper finds the lamp dark*",
        "Rain hammers the glass.",
        "Mara climbs the stairs.",
        "> *Note:* Keep the storm audible",
        "Mara, quietly: “The lamp is out.”",
        "Tom: “Then light it.”",
        "At the same moment, Tom: “Who's there?”",
        "*Cut to.*",
        "## EXT. CLIFF - DAWN",
        "*Oh the sea is wide*\\",
        "*and the night is long*",
        "Mara, in voice-over: “I kept the light forty years.”",
        "* * *",
        "**THE END**",
    ];
    let lines: Vec<&str> = prose.lines().collect();
    for expected in expected_lines {
        assert!(
            lines.contains(&expected),
            "no line {expected:?} in:\n{prose}"
        );
    }
    // Paragraphs are separated by one blank line, never more, and the file ends cleanly.
    assert!(!prose.contains("\n\n\n"));
    assert!(prose.ends_with("**THE END**\n"));
}

#[tokio::test]
async fn context_is_woven_in_once_where_it_belongs() {
    let prose = offline(&lighthouse(), DEFAULT_PART_BUDGET).await;
    let preface = find_from(&prose, "Tone: quiet, salt-worn. Era: 1950s Cornwall.", 0);
    let first_scene = find_from(&prose, "## INT. LIGHTHOUSE", 0);
    assert!(preface < first_scene, "the preface comes before the story");

    // Each character is introduced once, just before their first line.
    let mara_intro = "> *Mara.* The keeper, seventy and stubborn. Mood: restless after the storm.";
    let tom_intro = "> *Tom.* Secret: he came for the ledger.";
    for (intro, first_line) in [
        (mara_intro, "Mara, quietly: “The lamp is out.”"),
        (tom_intro, "Tom: “Then light it.”"),
    ] {
        assert_eq!(prose.matches(intro).count(), 1, "{intro} in:\n{prose}");
        let introduced = find_from(&prose, intro, 0);
        assert_eq!(
            find_from(&prose, first_line, 0),
            introduced + intro.len() + 2,
            "{intro} directly before {first_line}"
        );
    }
}

#[tokio::test]
async fn a_character_without_notes_or_description_is_not_introduced() {
    let mut story = lighthouse();
    story.characters[1].context.clear();
    let prose = offline(&story, DEFAULT_PART_BUDGET).await;
    assert!(!prose.contains("> *Tom.*"));
    assert!(prose.contains("Tom: “Then light it.”"));
}

#[tokio::test]
async fn markdown_in_the_writers_words_stays_text() {
    let mut story = story(vec![section(
        "# INT. *HALL* - NIGHT #",
        vec![
            action(
                1,
                "# Not a heading\n- not a list\n1. not ordered\n    not code\n> not a quote",
            ),
            action(
                2,
                "She writes *three* words_with_underscores and [a](link) <b>bold</b>.",
            ),
            line(3, "c1", "*Star*", "Use `code` & &amp; | pipes ~~here~~"),
            element(4, content(ElementKind::Lyric, "*la* la")),
        ],
    )]);
    story.title = "Stars & *Bars*".into();
    let prose = offline(&story, DEFAULT_PART_BUDGET).await;
    let block_starts = ["#", "-", "1.", "    ", ">", "<", "+"];
    let headings: Vec<&str> = prose.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        ["# Stars & \\*Bars\\*", "## \\# INT. \\*HALL\\* - NIGHT \\#"]
    );
    for line in prose.lines().filter(|l| !l.starts_with('#')) {
        for start in block_starts {
            assert!(
                !line.starts_with(start),
                "{line:?} starts a block in:\n{prose}"
            );
        }
    }
    for escaped in [
        "\\# Not a heading",
        "\\- not a list",
        "1\\. not ordered",
        "\\*three\\*",
        "words\\_with\\_underscores",
        "\\[a\\](link) \\<b\\>bold\\</b\\>",
        "\\*Star\\*: “Use \\`code\\` & \\&amp; \\| pipes \\~\\~here\\~\\~”",
        "*\\*la\\* la*",
    ] {
        assert!(prose.contains(escaped), "{escaped:?} not in:\n{prose}");
    }
}

#[tokio::test]
async fn a_story_without_sections_is_its_heading() {
    let mut story = story(Vec::new());
    story.author = None;
    story.description = None;
    assert_eq!(
        offline(&story, DEFAULT_PART_BUDGET).await,
        "# The Lighthouse\n"
    );
    assert_eq!(heading(&story), "# The Lighthouse");
    assert_eq!(Offline.name(), "offline");
}

#[tokio::test]
async fn a_deleted_speaker_still_has_a_name() {
    let mut orphan = line(1, "gone", "x", "Hello?");
    orphan.character_name = None;
    let prose = offline(&story(vec![section("ROOM", vec![orphan])]), 100).await;
    assert!(prose.contains("A voice: “Hello?”"), "{prose}");
}

#[tokio::test]
#[ignore = "prints the lighthouse for a human to read"]
async fn print_lighthouse() {
    print!("{}", offline(&lighthouse(), DEFAULT_PART_BUDGET).await);
}
