//! Stories for the tests, built in code so that each test says what it varies.

#![allow(dead_code)]

use fountain_prose::manuscript::{Character, Element, Manuscript, Note, Section};
use fountain_structure::{Content, ElementKind};

pub fn note(key: &str, value: &str) -> Note {
    Note {
        key: key.into(),
        value: value.into(),
    }
}

pub fn content(kind: ElementKind, text: &str) -> Content {
    Content {
        kind,
        text: text.into(),
        character_id: None,
        parenthetical: None,
        extension: None,
        dual: false,
    }
}

pub fn element(sequence: usize, content: Content) -> Element {
    Element {
        element_id: format!("el-{sequence:04}"),
        content,
        character_name: None,
    }
}

pub fn action(sequence: usize, text: &str) -> Element {
    element(sequence, content(ElementKind::Action, text))
}

pub fn line(sequence: usize, character_id: &str, name: &str, text: &str) -> Element {
    let mut content = content(ElementKind::Dialogue, text);
    content.character_id = Some(character_id.into());
    Element {
        character_name: Some(name.into()),
        ..element(sequence, content)
    }
}

pub fn section(title: &str, elements: Vec<Element>) -> Section {
    Section {
        title: title.into(),
        elements,
    }
}

pub fn character(id: &str, name: &str, description: Option<&str>) -> Character {
    Character {
        character_id: id.into(),
        name: name.into(),
        description: description.map(Into::into),
        context: Vec::new(),
    }
}

pub fn story(sections: Vec<Section>) -> Manuscript {
    Manuscript {
        title: "The Lighthouse".into(),
        author: Some("Ada Quill".into()),
        description: Some("A keeper, a storm, a visitor.".into()),
        characters: Vec::new(),
        sections,
        context: Vec::new(),
    }
}

/// A short story using every element kind, with global and character context.
pub fn lighthouse() -> Manuscript {
    let mut dual = line(9, "char-tom", "Tom", "Who's there?");
    dual.content.dual = true;
    let mut quiet = line(5, "char-mara", "Mara", "The lamp is out.");
    quiet.content.parenthetical = Some("(quietly)".into());
    let mut voice_over = line(13, "char-mara", "Mara", "I kept the light forty years.");
    voice_over.content.extension = Some("V.O.".into());
    let mut lyric = element(
        12,
        content(
            ElementKind::Lyric,
            "Oh the sea is wide\nand the night is long",
        ),
    );
    lyric.character_name = None;

    let mut mara = character(
        "char-mara",
        "Mara",
        Some("The keeper, seventy and stubborn"),
    );
    mara.context = vec![note("mood", "restless after the storm")];
    let mut tom = character("char-tom", "Tom", None);
    tom.context = vec![note("secret", "he came for the ledger")];

    let mut story = story(vec![
        section(
            "INT. LIGHTHOUSE - NIGHT",
            vec![
                element(
                    1,
                    content(ElementKind::Synopsis, "The keeper finds the lamp dark"),
                ),
                action(2, "Rain hammers the glass.\n\nMara climbs the stairs."),
                element(3, content(ElementKind::Note, "Keep the storm audible")),
                element(4, content(ElementKind::Boneyard, "A cut scene about gulls")),
                quiet,
                line(6, "char-tom", "Tom", "Then light it."),
                line(7, "char-mara", "Mara", "With what?"),
                line(8, "char-tom", "Tom", "With this."),
                dual,
                element(10, content(ElementKind::Transition, "CUT TO:")),
            ],
        ),
        section(
            "EXT. CLIFF - DAWN",
            vec![
                action(11, "The sea is calm now."),
                lyric,
                voice_over,
                element(14, content(ElementKind::PageBreak, "")),
                element(15, content(ElementKind::Centered, "THE END")),
            ],
        ),
    ]);
    story.characters = vec![mara, tom];
    story.context = vec![
        note("tone", "quiet, salt-worn"),
        note("era", "1950s Cornwall"),
    ];
    story
}

/// A longer story of varied section and element sizes, from a fixed seed: no randomness
/// between runs.
pub fn generated(sections: usize, seed: u64) -> Manuscript {
    let mut state = seed;
    let mut next = move |below: u64| {
        // A linear congruential generator is enough to vary sizes reproducibly.
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % below
    };
    let mut sequence = 0;
    let sections = (1..=sections)
        .map(|number| {
            let elements = (0..next(12))
                .map(|_| {
                    sequence += 1;
                    let words = "word ".repeat(1 + next(60) as usize);
                    if next(3) == 0 {
                        line(sequence, "char-a", "Ann", words.trim())
                    } else {
                        action(sequence, &format!("Beat {sequence}: {}", words.trim()))
                    }
                })
                .collect();
            section(&format!("SCENE {number}"), elements)
        })
        .collect();
    let mut story = story(sections);
    story.characters = vec![character("char-a", "Ann", Some("A witness"))];
    story
}
