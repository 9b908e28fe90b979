//! `parse(write(s)) == s` (spans aside) for screenplays built element by element from
//! words that include Fountain's own marks (`INT.`, `CUT TO:`, `#`, `=`, `~`, `>`, `!`,
//! `@`, `[[`, `/* */`, emphasis), so the writer's forcing is exercised, and for the
//! generator's screenplays up to feature length.

#![allow(clippy::unwrap_used)]

use fountain_text::{
    Content, Dialogue, DialoguePart, Element, Screenplay, TitleEntry, generate, parse, write,
};
use proptest::prelude::*;
use proptest::sample::select;

const PLAIN_WORDS: &[&str] = &[
    "the",
    "door",
    "Anna",
    "KITCHEN",
    "runs",
    "quietly",
    "élan",
    "こんにちは",
    "42",
    "a\tb",
];
/// Marks that mean something at the start of a line, or inline.
const MARK_WORDS: &[&str] = &[
    "INT.",
    "EXT",
    "I/E",
    "CUT TO:",
    "TO:",
    "#",
    "##",
    "=",
    "===",
    "~",
    ">",
    "<",
    "!",
    "@",
    "^",
    "(",
    ")",
    "(beat)",
    "[[",
    "[[note]]",
    "/* bone */",
    "*/",
    "*",
    "**bold**",
    "_under_",
    "\\*",
    ":",
    "Title:",
    "...",
    ".",
    ".38",
];

fn word(allow: fn(&str) -> bool) -> impl Strategy<Value = String> {
    let marks: Vec<&str> = MARK_WORDS.iter().copied().filter(|w| allow(w)).collect();
    prop_oneof![
        3 => select(PLAIN_WORDS),
        2 => select(marks),
    ]
    .prop_map(str::to_string)
}

fn any_word(_: &str) -> bool {
    true
}

/// A non-blank line of words without surrounding whitespace.
fn line_of(allow: fn(&str) -> bool) -> impl Strategy<Value = String> {
    prop::collection::vec(word(allow), 1..6).prop_map(|words| {
        let line = words.join(" ");
        let line = line.trim();
        // A line that is a whole boneyard is a boneyard element, not part of a text.
        if line.starts_with("/*") {
            format!("x {line}")
        } else {
            line.to_string()
        }
    })
}

fn line() -> impl Strategy<Value = String> {
    line_of(any_word)
}

/// Lines joined with `\n`: the first and last non-blank, blank lines allowed between,
/// each optionally prefixed by `indent` (never the first when `indent_first` is false).
fn lines(allow: fn(&str) -> bool, max: usize, indent_first: bool) -> impl Strategy<Value = String> {
    let indent = select(vec!["", "", "", "  ", "\t", "    "]);
    let middle = prop_oneof![
        1 => Just(String::new()),
        4 => (indent.clone(), line_of(allow)).prop_map(|(i, l)| format!("{i}{l}")),
    ];
    (
        indent,
        line_of(allow),
        prop::collection::vec(middle, 0..max),
        line_of(allow),
        any::<bool>(),
    )
        .prop_map(move |(indent, first, middle, last, single)| {
            let first = if indent_first {
                format!("{indent}{first}")
            } else {
                first
            };
            if single {
                return first;
            }
            let mut all = vec![first];
            all.extend(middle);
            all.push(last);
            all.join("\n")
        })
}

fn action() -> impl Strategy<Value = Content> {
    lines(any_word, 3, true).prop_map(|text| Content::Action { text })
}

fn heading() -> impl Strategy<Value = Content> {
    let start = select(vec![
        "INT. ",
        "EXT ",
        "INT./EXT. ",
        "I/E ",
        "EST. ",
        "KITCHEN ",
        "flashback ",
        "42 ",
        "élan ",
    ]);
    let number = prop::option::of("[A-Za-z0-9.-]{1,5}");
    (start, line(), number).prop_map(|(start, rest, scene_number)| Content::SceneHeading {
        // A heading ending in `#...#` would be read as its scene number.
        text: format!("{start}{}", rest.replace('#', ""))
            .trim()
            .to_string(),
        scene_number,
    })
}

fn speech() -> impl Strategy<Value = String> {
    lines(any_word, 2, false).prop_map(|text| {
        text.split('\n')
            .map(|line| {
                let line = line.trim();
                // A wholly parenthesized line is a parenthetical.
                if line.starts_with('(') && line.ends_with(')') {
                    format!("{line} ok")
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn dialogue() -> impl Strategy<Value = Content> {
    let name = select(vec![
        "ANNA",
        "DR. BENNET",
        "McCLANE",
        "23",
        "INT. BOB",
        "CUT TO:",
        "# HASH",
        "=X",
        "!BANG",
        ">X",
        "~LA",
        "[[X]]",
        "Title: Y",
        "BOB: X",
        "R2D2",
        "ÉLISE",
        "o'neil",
        "...",
    ]);
    let extension = select(vec!["V.O.", "CONT'D", "on the radio", "O. S.", ""]);
    let part = prop_oneof![
        line().prop_map(|text| DialoguePart::Parenthetical(format!("({text})"))),
        speech().prop_map(DialoguePart::Speech),
    ];
    (
        name,
        prop::collection::vec(extension, 0..3),
        any::<bool>(),
        prop::collection::vec(part, 1..4),
    )
        .prop_map(|(name, extensions, dual, parts)| {
            Content::Dialogue(Dialogue {
                character: name.to_string(),
                extensions: extensions.into_iter().map(str::to_string).collect(),
                dual,
                parts: merge_adjacent_speech(parts),
            })
        })
}

/// Consecutive speech lines are one part.
fn merge_adjacent_speech(parts: Vec<DialoguePart>) -> Vec<DialoguePart> {
    let mut merged: Vec<DialoguePart> = Vec::new();
    for part in parts {
        match (merged.last_mut(), part) {
            (Some(DialoguePart::Speech(previous)), DialoguePart::Speech(next)) => {
                previous.push('\n');
                previous.push_str(&next);
            }
            (_, part) => merged.push(part),
        }
    }
    merged
}

fn transition() -> impl Strategy<Value = Content> {
    prop_oneof![
        select(vec!["CUT TO:", "DISSOLVE TO:", "TO:"]).prop_map(str::to_string),
        line().prop_map(|text| {
            // A `>` line ending in `<` is centered text.
            if text.ends_with('<') {
                format!("{text} x")
            } else {
                text
            }
        }),
    ]
    .prop_map(|text| Content::Transition { text })
}

fn no_note_end(word: &str) -> bool {
    !word.contains("]]")
}

fn no_boneyard_end(word: &str) -> bool {
    !word.contains("*/")
}

fn content() -> impl Strategy<Value = Content> {
    prop_oneof![
        4 => action(),
        2 => heading(),
        4 => dialogue(),
        1 => transition(),
        1 => prop::collection::vec(line(), 1..3)
            .prop_map(|lines| Content::Centered { text: lines.join("\n") }),
        1 => prop::collection::vec(
                prop_oneof![Just(String::new()), line(), line().prop_map(|l| format!("  {l}"))],
                1..3,
            )
            .prop_map(|lines| Content::Lyric { text: lines.join("\n") }),
        1 => lines(no_note_end, 2, false).prop_map(|text| Content::Note { text }),
        1 => lines(no_boneyard_end, 2, false).prop_map(|text| Content::Boneyard { text }),
        1 => (1usize..=6, prop_oneof![Just(String::new()), line()])
            .prop_map(|(depth, title)| Content::Section { depth, title }),
        1 => prop_oneof![Just(String::new()), line()].prop_map(|text| Content::Synopsis { text }),
        1 => Just(Content::PageBreak),
    ]
}

fn title_page() -> impl Strategy<Value = Vec<TitleEntry>> {
    let value = prop_oneof![
        line(),
        prop::collection::vec(line(), 2..4).prop_map(|lines| lines.join("\n")),
        Just(String::new()),
    ];
    let key = select(vec![
        "Author",
        "Draft date",
        "Contact",
        "Credit",
        "Notes 2",
        "x-ref",
    ]);
    let entry = |key: &str, value: String| TitleEntry {
        key: key.to_string(),
        value,
        span: Default::default(),
    };
    prop_oneof![
        Just(Vec::new()),
        (line(), prop::collection::vec((key, value), 0..4)).prop_map(move |(title, rest)| {
            // At least one value is not empty, or the block is not a title page.
            let mut entries = vec![entry("Title", title)];
            entries.extend(rest.into_iter().map(|(key, value)| entry(key, value)));
            entries
        }),
    ]
}

fn screenplay() -> impl Strategy<Value = Screenplay> {
    (title_page(), prop::collection::vec(content(), 0..30)).prop_map(|(title_page, contents)| {
        Screenplay {
            title_page,
            elements: contents.into_iter().map(Element::new).collect(),
        }
    })
}

fn assert_reads_back(screenplay: &Screenplay) -> Result<(), TestCaseError> {
    let written = write(screenplay);
    let read =
        parse(&written).map_err(|error| TestCaseError::fail(format!("{error}\n{written}")))?;
    match first_difference(&read.without_spans(), &screenplay.without_spans()) {
        Some(difference) => Err(TestCaseError::fail(format!(
            "{difference}\nwritten as\n{written}"
        ))),
        None => Ok(()),
    }
}

/// The first title entry or element that differs, rather than two whole screenplays.
fn first_difference(read: &Screenplay, written: &Screenplay) -> Option<String> {
    if read.title_page != written.title_page {
        return Some(format!(
            "title page read {:?}\n  written {:?}",
            read.title_page, written.title_page
        ));
    }
    let count = read.elements.len().max(written.elements.len());
    (0..count).find_map(|index| {
        let (read, written) = (read.elements.get(index), written.elements.get(index));
        (read != written).then(|| format!("element {index} read {read:?}\n  written {written:?}"))
    })
}

/// Source lines of every shape Fountain gives meaning to, blank ones included.
fn source_line() -> impl Strategy<Value = String> {
    let shaped = select(vec![
        "",
        "",
        "",
        "  ",
        "   ",
        "\t",
        "Title: A Film",
        "Author:",
        "    indented value",
        "INT. HOUSE - DAY",
        "EXT. HOUSE #1A#",
        ".forced",
        "...",
        "!",
        "!BANG",
        "@McCLANE",
        "ANNA (V.O.) ^",
        "(beat)",
        "CUT TO:",
        "CUT TO:  ",
        "> forced",
        "> centered <",
        "~la",
        "# Act",
        "## Sequence",
        "= synopsis",
        "===",
        "[[note]]",
        "[[open",
        "close]]",
        "/* bone */",
        "/*",
        "*/",
        "a /* b",
        "c */ d",
        "*bold*",
        "\ttabbed",
        "  spaced",
        "^",
    ]);
    prop_oneof![
        2 => shaped.prop_map(str::to_string),
        1 => line(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever `parse` returns can be written: the written text reads the same.
    #[test]
    fn any_parsed_text_is_written_to_read_the_same(lines in prop::collection::vec(source_line(), 0..25)) {
        let source = lines.join("\n");
        if let Ok(parsed) = parse(&source) {
            assert_reads_back(&parsed)?;
        }
    }

    #[test]
    fn built_screenplays_read_back_as_written(screenplay in screenplay()) {
        assert_reads_back(&screenplay)?;
    }

    #[test]
    fn generated_screenplays_read_back_as_written(seed in any::<u64>(), elements in 0usize..400) {
        assert_reads_back(&generate::screenplay(seed, elements))?;
    }

    #[test]
    fn writing_is_canonical(screenplay in screenplay()) {
        let written = write(&screenplay);
        let read = parse(&written).map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(write(&read), written);
    }
}

#[test]
fn a_feature_length_screenplay_reads_back_as_written() {
    let screenplay = generate::screenplay(2025, 3_000);
    let written = write(&screenplay);
    let read = parse(&written).unwrap();
    assert_eq!(first_difference(&read.without_spans(), &screenplay), None);
    // Spans count real lines: the last element ends on the text's last line.
    let last_line = written.lines().count();
    assert_eq!(read.elements.last().unwrap().span.end, last_line);
}
