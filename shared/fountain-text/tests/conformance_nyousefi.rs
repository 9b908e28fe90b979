//! The reference parser's inputs (nyousefi/Fountain) come without expected output, so
//! each file's reading was reviewed by hand against the Fountain 1.1 syntax and is pinned
//! here; every file must also round-trip. Where our reading is more lenient than the
//! syntax (a heading directly above another line), CONFORMANCE.md says so.

#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_round_trips, file_name, fixture_files};
use fountain_text::{Content, DialoguePart};

#[test]
fn nyousefi_files_read_as_reviewed() {
    let files = fixture_files("nyousefi", "fountain");
    assert_eq!(
        files.len(),
        REVIEWED.len(),
        "every file has a reviewed reading"
    );
    for path in files {
        let name = file_name(&path);
        let source = std::fs::read_to_string(&path).unwrap();
        let screenplay =
            fountain_text::parse(&source).unwrap_or_else(|error| panic!("{name}: {error}"));
        let ours: Vec<String> = screenplay
            .elements
            .iter()
            .map(|element| describe(&element.content))
            .collect();
        let (_, reviewed) = REVIEWED
            .iter()
            .find(|(file, _)| *file == name)
            .unwrap_or_else(|| panic!("{name} has no reviewed reading"));
        assert_eq!(ours, *reviewed, "{name}");
    }
}

#[test]
fn nyousefi_files_round_trip() {
    for path in fixture_files("nyousefi", "fountain") {
        let source = std::fs::read_to_string(&path).unwrap();
        assert_round_trips(&file_name(&path), &source);
    }
}

#[test]
fn simple_fountain_has_a_title_page_and_line_spans() {
    let source =
        std::fs::read_to_string(common::fixtures("nyousefi").join("Simple.fountain")).unwrap();
    let screenplay = fountain_text::parse(&source).unwrap();
    let keys: Vec<&str> = screenplay
        .title_page
        .iter()
        .map(|entry| entry.key.as_str())
        .collect();
    assert_eq!(keys, vec!["Title", "Author", "Draft date"]);
    let dialogue = &screenplay.elements[3];
    assert!(matches!(dialogue.content, Content::Dialogue(_)));
    assert_eq!((dialogue.span.start, dialogue.span.end), (12, 14));
    let boneyard = &screenplay.elements[11];
    assert!(matches!(boneyard.content, Content::Boneyard { .. }));
    assert_eq!((boneyard.span.start, boneyard.span.end), (30, 32));
}

/// One line per element: its kind and what it says.
fn describe(content: &Content) -> String {
    match content {
        Content::SceneHeading {
            text,
            scene_number: Some(number),
        } => format!("heading {text} #{number}"),
        Content::SceneHeading { text, .. } => format!("heading {text}"),
        Content::Action { text } => format!("action {text}"),
        Content::Dialogue(dialogue) => {
            let mut line = format!("dialogue {}", dialogue.character);
            for extension in &dialogue.extensions {
                line.push_str(&format!(" ({extension})"));
            }
            if dialogue.dual {
                line.push_str(" ^");
            }
            for part in &dialogue.parts {
                let (DialoguePart::Parenthetical(text) | DialoguePart::Speech(text)) = part;
                line.push_str(&format!(" | {text}"));
            }
            line
        }
        Content::Transition { text } => format!("transition {text}"),
        Content::Centered { text } => format!("centered {text}"),
        Content::Lyric { text } => format!("lyric {text}"),
        Content::Note { text } => format!("note {text}"),
        Content::Boneyard { text } => format!("boneyard {text}"),
        Content::Section { depth, title } => format!("section {depth} {title}"),
        Content::Synopsis { text } => format!("synopsis {text}"),
        Content::PageBreak => "page break".to_string(),
    }
}

/// Reviewed readings, file by file.
#[rustfmt::skip]
const REVIEWED: &[(&str, &[&str])] = &[
    ("Boneyard.fountain", &[
        "action A line of action.",
        "boneyard This is an inline Boneyard.",
        "boneyard This is a\nmulti-line \nBoneyard.",
        "action This is an /* internal */ boneyard.",
    ]),
    ("CenteredText.fountain", &[
        "centered Centered",
        "transition Not centered",
        "centered No space",
        "centered Lots of Space",
    ]),
    ("Dialogue.fountain", &[
        "dialogue ADAM | I like to write.",
        "dialogue EVE (O.S.) | What kind of writing?",
        "dialogue ADAM | (nervous) | Screenwriting.",
        "dialogue EVE | ME TOO!",
        "dialogue EVE (cont'd) | I think screenwriting is the best.",
        "dialogue ADAM | That's great.\nI was really worried you wouldn't\nlike screenwriting.",
        "dialogue EVE | Oh, Adam. | (kissing him)",
        "dialogue ADAM | I love you.",
        "dialogue EVE ^ | You're so stupid.",
        "dialogue R2D2 | Bleep Boop. | (*This is a valid character cue.*)",
        "action 23 (O.S.)\nCharacter name must include a letter",
        "dialogue ADAM | That was really weird.\nI can be weird to. Here's\na space in the dialogue\nblock\n\nfor absolutely no good\nreason.",
        "dialogue EVE | (feeling cocky) | Well, then I'll just indent!",
    ]),
    ("DualDialogue.fountain", &[
        "dialogue ADAM | Yes.",
        "dialogue EVE ^ | No.",
    ]),
    ("ForcedElements.fountain", &[
        "action BANG\nBANG\nBANG",
        "dialogue McDUCK | I'm vegan.",
        "dialogue SINGER | ~These are the songs\n~That I sing.",
    ]),
    ("Indenting.fountain", &[
        "transition CUT TO:",
        "heading INT. GARAGE - DAY",
        "action BRICK and STEEL get into Mom's PORSCHE, Steel at the wheel.  They pause for a beat, the gravity of the situation catching up with them.",
        "dialogue BRICK | This is everybody we've ever put away.",
        "dialogue STEEL | (starting the engine) | So much for retirement!",
        "action They speed off.  To destiny!",
    ]),
    ("MultilineAction.fountain", &[
        "action A normal line of action.",
        "action This is a multi-line block of Action.\nMade famous by the great\nWALTER HILL\nbut used by many other writers.",
        "action A normal line of action.",
    ]),
    ("Notes.fountain", &[
        "action A line.",
        "note A note.",
        "note This line spans\n  multiple lines.",
        "action This is an [[internal]] note.",
    ]),
    ("PageBreaks.fountain", &[
        "action Page one.",
        "page break",
        "action Page two.",
        "page break",
        "action Page three.",
    ]),
    ("SceneHeaders.fountain", &[
        "heading INT. HOUSE - DAY",
        "heading EXT. HOUSE - DAY",
        "heading INT HOUSE DAY",
        "heading EXT HOUSE DAY",
        "heading INT/EXT. HOUSE - DAY",
        "heading INT./EXT. HOUSE - DAY",
        "heading I/E. HOUSE - DAY",
        "heading I./E. HOUSE - DAY",
        "heading I/E HOUSE DAY",
        "heading INT - HOUSE - DAY",
        "heading EXT - HOUSE - DAY",
        "heading EST. HOUSE - DAY",
        "heading EST HOUSE DAY",
        "heading INT. HOUSE - DAY (1979)",
        "heading KITCHEN",
        "action ... not a scene header.",
        "heading INT. HOUSE - DAY",
        "heading EXT. HOUSE - DAY",
        "action ESTABLISHING",
        "heading int. house - day",
    ]),
    ("SceneNumbers.fountain", &[
        "heading INT. HOUSE - DAY #1",
        "heading INT. HOUSE - DAY #1A",
        "heading INT. HOUSE - DAY #1a",
        "heading INT. HOUSE - DAY #A1",
        "heading INT. HOUSE - DAY #I-1-A",
        "heading INT. HOUSE - DAY #1.",
        "heading INT. HOUSE - DAY - FLASHBACK (1944) #110A",
    ]),
    ("SectionHeaders.fountain", &[
        "section 1 Act One",
        "section 1 Act Two",
        "section 1 ACT THREE",
        "section 1 ACT FOUR",
        "section 1 5",
        "section 2 Level 2",
        "section 3 Level 3",
    ]),
    ("Sections-Complex.fountain", &[
        "section 1 Act 1",
        "synopsis Synopsis 1",
        "heading INT. LOCATION - DAY",
        "section 1 Act 2",
        "section 2 Sequence 1",
        "heading INT. LOCATION - DAY",
    ]),
    ("Simple.fountain", &[
        "action FADE IN:",
        "heading INT. OFFICE - MORNING",
        "action A MAN sits alone at his desk.",
        "dialogue MAN (V.O.) | (passionately) | I'm writing.",
        "page break",
        "heading ext. house - day",
        "action Another scene.",
        "transition Burn to White.",
        "centered THE END",
        "note Comment",
        "synopsis Synopsis",
        "boneyard This text is in the boneyard.",
        "section 1 Section 1",
        "action This is in section one.",
        "section 2 Section 1-1",
        "action This should be at a higher depth than the previous section.",
        "heading FORCED SCENE HEADING",
        "action ... Not a forced scene heading",
        "boneyard Boneyard 2",
        "action Scott exasperatedly throws down the card on the table and picks up the phone, hitting speed dial #1...",
        "note The following should not be considered a transition because it ends with one or more spaces.",
        "action CUT TO:",
    ]),
    ("Synopses.fountain", &[
        "section 1 Act One",
        "synopsis This is the first act.",
        "section 1 Act Two",
        "synopsis This is another act.",
        "section 1 Act Three",
        "synopsis THE FINAL ACT",
    ]),
    ("Transitions.fountain", &[
        "transition CUT TO:",
        "transition SMASH CUT TO:",
        "action FADE TO BLACK.",
        "transition NOT A STANDARD TRANSITION:",
        "action CUT TO:",
        "transition GO TO:",
        "transition TO:",
    ]),
];
