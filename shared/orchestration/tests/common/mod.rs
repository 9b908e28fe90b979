//! Stories shared by the integration tests.
#![allow(dead_code)]

use fountain_orchestration::{Beat, Voice};

/// A small scene with several characters, every kind of beat, two sections and names that
/// need escaping.
pub fn small_story() -> (Vec<Voice>, Vec<Beat<'static>>) {
    let voices = vec![
        Voice::new("c1", "ALICE"),
        Voice::new("c2", "BOB \"THE BUILDER\""),
        Voice::new("c3", "ZOË\\"),
        Voice::new("c4", "DR. WHO\nJR"),
    ];
    let beats = vec![
        Beat::SectionStart {
            title: "Act One: \"Dawn\"",
        },
        Beat::Action {
            text: "A kitchen. Rain against the window. ALICE stirs a pot that has been stirred for an hour.",
        },
        Beat::Line {
            voice: 0,
            text: "Morning.",
        },
        Beat::Line {
            voice: 1,
            text: "Is it? It has been dark for three days and nobody has said a word about it, not one word, and I am starting to think nobody will.",
        },
        Beat::Other,
        Beat::Line {
            voice: 2,
            text: "Enough!",
        },
        Beat::Lyric {
            voice: Some(3),
            text: "Rain, rain",
        },
        Beat::Transition { text: "CUT TO:" },
        Beat::SectionStart { title: "Act Two" },
        Beat::Line {
            voice: 0,
            text: "Where were we?",
        },
        Beat::Lyric {
            voice: None,
            text: "(humming)",
        },
        Beat::Action { text: "Silence." },
        Beat::Line {
            voice: 3,
            text: "Here.",
        },
    ];
    (voices, beats)
}

/// A feature-length story of `elements` beats over 40 characters, built deterministically.
pub fn long_story(elements: usize) -> (Vec<Voice>, Vec<String>, Vec<usize>) {
    let voices = (0..40)
        .map(|i| Voice::new(format!("c{i}"), format!("CHARACTER {i}")))
        .collect();
    let texts = (0..elements)
        .map(|i| "word ".repeat(1 + (i * 7919) % 60))
        .collect();
    let kinds = (0..elements).map(|i| (i * 31) % 17).collect();
    (voices, texts, kinds)
}

/// The beats of [`long_story`]: mostly dialogue and action, some of everything else.
pub fn long_beats<'a>(texts: &'a [String], kinds: &[usize]) -> Vec<Beat<'a>> {
    texts
        .iter()
        .zip(kinds)
        .enumerate()
        .map(|(i, (text, kind))| match kind {
            0 => Beat::SectionStart { title: text },
            1..=8 => Beat::Line {
                voice: (i * 13) % 40,
                text,
            },
            9..=12 => Beat::Action { text },
            13 => Beat::Transition { text },
            14 => Beat::Lyric {
                voice: Some(i % 40),
                text,
            },
            15 => Beat::Lyric { voice: None, text },
            _ => Beat::Other,
        })
        .collect()
}
