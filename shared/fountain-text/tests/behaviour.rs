//! The parser's and writer's documented decisions, one by one.

#![allow(clippy::unwrap_used)]

use fountain_text::{Content, Dialogue, DialoguePart, Element, LineSpan, ParseError, Screenplay};
use fountain_text::{parse, write};

fn contents(source: &str) -> Vec<Content> {
    parse(source)
        .unwrap()
        .elements
        .into_iter()
        .map(|element| element.content)
        .collect()
}

fn action(text: &str) -> Content {
    Content::Action {
        text: text.to_string(),
    }
}

fn written(contents: Vec<Content>) -> String {
    write(&Screenplay {
        title_page: Vec::new(),
        elements: contents.into_iter().map(Element::new).collect(),
    })
}

#[test]
fn an_unclosed_boneyard_is_an_error_naming_its_line() {
    let error =
        parse("INT. HOUSE - DAY\n\nAnna waits.\n\n/* cut from here\n\nANNA\nHello.\n").unwrap_err();
    assert_eq!(error, ParseError::UnterminatedBoneyard { line: 5 });
    assert_eq!(error.line(), 5);
    assert_eq!(
        error.to_string(),
        "line 5: the boneyard opened with /* is never closed with */"
    );
}

#[test]
fn an_unclosed_note_is_plain_text() {
    assert_eq!(
        contents("This is not [[\na proper note\n\nbecause ]]"),
        vec![
            action("This is not [[\na proper note"),
            action("because ]]")
        ]
    );
}

#[test]
fn every_element_knows_its_lines() {
    let source = "Title: T\nAuthor:\n    A\n    B\n\nINT. HOUSE - DAY\n\nANNA\n(beat)\nHi.\n\n[[a\nnote]]\n\n/*\ngone\n*/\n";
    let screenplay = parse(source).unwrap();
    assert_eq!(screenplay.title_page[1].span, LineSpan::new(2, 4));
    let spans: Vec<LineSpan> = screenplay.elements.iter().map(|e| e.span).collect();
    assert_eq!(
        spans,
        vec![
            LineSpan::line(6),
            LineSpan::new(8, 10),
            LineSpan::new(12, 13),
            LineSpan::new(15, 17)
        ]
    );
}

#[test]
fn one_line_elements_do_not_need_a_blank_line_after_them() {
    assert_eq!(
        contents("# Act 1\n= The setup.\nINT. HOUSE - DAY\nAnna waits."),
        vec![
            Content::Section {
                depth: 1,
                title: "Act 1".to_string()
            },
            Content::Synopsis {
                text: "The setup.".to_string()
            },
            Content::SceneHeading {
                text: "INT. HOUSE - DAY".to_string(),
                scene_number: None
            },
            action("Anna waits."),
        ]
    );
}

#[test]
fn action_keeps_indentation_and_blank_lines_kept_with_two_spaces() {
    assert_eq!(
        contents("\tTabbed\n  \n    Spaced   \n\nNext."),
        vec![action("\tTabbed\n\n    Spaced"), action("Next.")]
    );
}

#[test]
fn dialogue_has_cue_parts_and_dual_mark() {
    let expected = Content::Dialogue(Dialogue {
        character: "EVE".to_string(),
        extensions: vec!["V.O.".to_string(), "CONT'D".to_string()],
        dual: true,
        parts: vec![
            DialoguePart::Speech("No.".to_string()),
            DialoguePart::Parenthetical("(beat)".to_string()),
            DialoguePart::Speech("Never.\n\nNot once.".to_string()),
        ],
    });
    assert_eq!(
        contents("  EVE (V.O.) (CONT'D) ^\nNo.\n  (beat)\nNever.\n  \nNot once."),
        vec![expected]
    );
}

#[test]
fn a_script_opening_with_fade_in_has_no_title_page() {
    let screenplay = parse("FADE IN:\n\nINT. HOUSE - DAY\n").unwrap();
    assert!(screenplay.title_page.is_empty());
    assert_eq!(screenplay.elements[0].content, action("FADE IN:"));
}

#[test]
fn the_writer_forces_only_what_would_read_as_something_else() {
    let text = written(vec![
        Content::SceneHeading {
            text: "INT. HOUSE - DAY".to_string(),
            scene_number: Some("1A".to_string()),
        },
        Content::SceneHeading {
            text: "somewhere in space".to_string(),
            scene_number: None,
        },
        action("BANG\nBANG"),
        action("Anna runs."),
        Content::Dialogue(Dialogue {
            character: "McCLANE".to_string(),
            extensions: Vec::new(),
            dual: false,
            parts: vec![DialoguePart::Speech("Yippee.".to_string())],
        }),
        Content::Transition {
            text: "CUT TO:".to_string(),
        },
        Content::Transition {
            text: "Fade to black.".to_string(),
        },
    ]);
    assert_eq!(
        text,
        "INT. HOUSE - DAY #1A#\n\n.somewhere in space\n\n!BANG\nBANG\n\nAnna runs.\n\n@McCLANE\nYippee.\n\nCUT TO:\n\n> Fade to black.\n"
    );
}

#[test]
fn a_first_action_that_looks_like_a_title_page_is_forced() {
    let text = written(vec![action("Note: the house is empty.")]);
    assert_eq!(text, "!Note: the house is empty.\n");
    assert_eq!(contents(&text), vec![action("Note: the house is empty.")]);
}

#[test]
fn the_model_serializes_in_camel_case_with_snake_case_kinds() {
    let screenplay = parse("INT. HOUSE #2#\n\n===\n\nANNA\n(beat)\nHi.\n").unwrap();
    let json = serde_json::to_value(&screenplay).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "titlePage": [],
            "elements": [
                {"kind": "scene_heading", "text": "INT. HOUSE", "sceneNumber": "2", "span": {"start": 1, "end": 1}},
                {"kind": "page_break", "span": {"start": 3, "end": 3}},
                {"kind": "dialogue", "character": "ANNA", "extensions": [], "dual": false,
                 "parts": [{"parenthetical": "(beat)"}, {"speech": "Hi."}],
                 "span": {"start": 5, "end": 7}}
            ]
        })
    );
    let back: Screenplay = serde_json::from_value(json).unwrap();
    assert_eq!(back, screenplay);
}

#[test]
fn windows_files_with_a_byte_order_mark_read_like_any_other() {
    assert_eq!(
        contents("\u{feff}INT. HOUSE\r\n\r\nAnna.\r\n"),
        contents("INT. HOUSE\n\nAnna.\n")
    );
}

#[test]
fn empty_and_blank_documents_have_nothing_in_them() {
    assert_eq!(parse("").unwrap(), Screenplay::default());
    assert_eq!(parse("\n\n  \n").unwrap(), Screenplay::default());
    assert_eq!(write(&Screenplay::default()), "");
}
