//! Realistic screenplays of any size, the same for the same seed: for round-trip tests at
//! scale and for benchmarks. About 25 elements make a page, so 3,000 make a feature.

use crate::model::{Content, Dialogue, DialoguePart, Element, Screenplay, TitleEntry};

/// A screenplay of exactly `elements` elements: acts and sequences, scenes (some numbered,
/// some forced), action with emphasis and inline notes, dialogue with extensions,
/// parentheticals and dual dialogue, transitions, lyrics, centered text, notes, boneyard,
/// synopses and page breaks. Spans are `0..=0`.
pub fn screenplay(seed: u64, elements: usize) -> Screenplay {
    let mut writer = Writer {
        random: SplitMix64(seed),
        elements: Vec::with_capacity(elements + 8),
        scene: 0,
    };
    while writer.elements.len() < elements {
        writer.act(elements);
    }
    writer.elements.truncate(elements);
    Screenplay {
        title_page: title_page(),
        elements: writer.elements,
    }
}

fn title_page() -> Vec<TitleEntry> {
    let entry = |key: &str, value: &str| TitleEntry {
        key: key.to_string(),
        value: value.to_string(),
        span: Default::default(),
    };
    vec![
        entry("Title", "_**THE LONG KITCHEN**_"),
        entry("Credit", "Written by"),
        entry("Author", "A. Writer"),
        entry("Source", "Story by B. Writer"),
        entry("Draft date", "1 May 2025"),
        entry(
            "Contact",
            "A. Writer\n12 Harbour Road\na.writer@example.org",
        ),
    ]
}

/// splitmix64: tiny, fast and good enough to vary a screenplay; a fixed algorithm so a
/// seed means the same screenplay everywhere.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// In `0..bound` (`bound` > 0).
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const CHARACTERS: [&str; 10] = [
    "ANNA",
    "BRICK",
    "STEEL",
    "MOM",
    "DR. BENNET",
    "THE COOK",
    "OLD MAN",
    "McCLANE",
    "R2D2",
    "NARRATOR",
];
const EXTENSIONS: [&str; 5] = ["V.O.", "O.S.", "CONT'D", "O.C.", "on the radio"];
const PARENTHETICALS: [&str; 6] = [
    "(quietly)",
    "(beat)",
    "(into phone)",
    "(starting the engine)",
    "(laughing)",
    "(to Anna)",
];
const PLACES: [&str; 10] = [
    "KITCHEN",
    "HARBOUR",
    "BRICK'S PATIO",
    "POLICE STATION",
    "MOM'S PORSCHE",
    "ROOFTOP",
    "HOSPITAL CORRIDOR",
    "MARKET SQUARE",
    "LIGHTHOUSE",
    "UNDERGROUND CAR PARK",
];
const TIMES: [&str; 5] = ["DAY", "NIGHT", "DAWN", "CONTINUOUS", "LATER"];
const SUBJECTS: [&str; 8] = [
    "Anna",
    "Brick",
    "Steel",
    "The cook",
    "A dog",
    "The old man",
    "Somebody",
    "The crowd",
];
const VERBS: [&str; 8] = [
    "crosses the room",
    "stares at the door",
    "drops a *heavy* pan",
    "laughs, too loud",
    "checks the clock",
    "picks up the **phone**",
    "freezes",
    "walks out into the _rain_",
];
const DETAILS: [&str; 8] = [
    "without a word.",
    "as the lights flicker.",
    "while the radio plays.",
    "and waits.",
    "-- then thinks better of it.",
    "for the third time tonight.",
    "[[check continuity]] before anyone notices.",
    "as if nothing happened.",
];
const SPEECH: [&str; 10] = [
    "I told you not to come back here.",
    "Where were you last night?",
    "Nothing. Forget it.",
    "You think this is *funny*?",
    "We have maybe ten minutes.",
    "Then let's retire them.",
    "_Permanently_.",
    "It was never about the money.",
    "Pass the salt.",
    "I can't do this again, not like last time.",
];
const TRANSITIONS: [&str; 4] = ["CUT TO:", "DISSOLVE TO:", "SMASH CUT TO:", "MATCH CUT TO:"];
const FORCED_TRANSITIONS: [&str; 2] = ["Fade to black.", "Burn to white."];

struct Writer {
    random: SplitMix64,
    elements: Vec<Element>,
    scene: usize,
}

impl Writer {
    fn push(&mut self, content: Content) {
        self.elements.push(Element::new(content));
    }

    fn act(&mut self, target: usize) {
        let act = self.elements.iter().filter(|e| is_act(&e.content)).count() + 1;
        self.push(Content::Section {
            depth: 1,
            title: format!("ACT {act}"),
        });
        if self.random.chance(60) {
            self.push(Content::Synopsis {
                text: format!("Act {act}: things get worse before they get better."),
            });
        }
        for sequence in 1..=self.random.between(3, 6) {
            if self.elements.len() >= target {
                return;
            }
            self.sequence(act, sequence, target);
        }
        if self.random.chance(50) {
            self.push(Content::Centered {
                text: format!("**END OF ACT {act}**"),
            });
        }
        self.push(Content::PageBreak);
    }

    fn sequence(&mut self, act: usize, sequence: usize, target: usize) {
        self.push(Content::Section {
            depth: 2,
            title: format!("Sequence {act}.{sequence}"),
        });
        for _ in 0..self.random.between(4, 10) {
            if self.elements.len() >= target {
                return;
            }
            self.scene();
        }
    }

    fn scene(&mut self) {
        self.scene += 1;
        let place = self.random.pick(&PLACES);
        let time = self.random.pick(&TIMES);
        let text = if self.random.chance(8) {
            format!("FLASHBACK - {place}")
        } else {
            let start = self.random.pick(&["INT.", "EXT.", "INT./EXT.", "EST."]);
            format!("{start} {place} - {time}")
        };
        let scene_number = self.random.chance(30).then(|| self.scene.to_string());
        self.push(Content::SceneHeading { text, scene_number });
        if self.random.chance(15) {
            self.push(Content::Synopsis {
                text: "The moment everything turns.".to_string(),
            });
        }
        for _ in 0..self.random.between(6, 22) {
            self.beat();
        }
        if self.random.chance(30) {
            let text = if self.random.chance(80) {
                self.random.pick(&TRANSITIONS)
            } else {
                self.random.pick(&FORCED_TRANSITIONS)
            };
            self.push(Content::Transition {
                text: text.to_string(),
            });
        }
    }

    fn beat(&mut self) {
        match self.random.below(100) {
            0..=39 => self.action(),
            40..=86 => {
                let dialogue = self.dialogue(false);
                self.push(Content::Dialogue(dialogue));
            }
            87..=90 => {
                let first = self.dialogue(false);
                let second = self.dialogue(true);
                self.push(Content::Dialogue(first));
                self.push(Content::Dialogue(second));
            }
            91..=93 => self.push(Content::Lyric {
                text: "Row, row, row your boat\nGently down the stream".to_string(),
            }),
            94..=96 => self.push(Content::Note {
                text: "Is this scene too long?\nAsk the director.".to_string(),
            }),
            97 => self.push(Content::Boneyard {
                text: "ANNA\nThe line we cut.".to_string(),
            }),
            98 => self.push(Content::Centered {
                text: "THREE WEEKS LATER".to_string(),
            }),
            _ => self.push(Content::PageBreak),
        }
    }

    fn action(&mut self) {
        let lines: Vec<String> = (0..self.random.between(1, 4))
            .map(|_| {
                let subject = self.random.pick(&SUBJECTS);
                let verb = self.random.pick(&VERBS);
                let detail = self.random.pick(&DETAILS);
                format!("{subject} {verb} {detail}")
            })
            .collect();
        let mut text = lines.join("\n");
        if self.random.chance(5) {
            // Capitals followed by more lines read as a cue unless forced: the writer's job.
            text = format!("BANG!\n{text}");
        }
        self.push(Content::Action { text });
    }

    fn dialogue(&mut self, dual: bool) -> Dialogue {
        let character = self.random.pick(&CHARACTERS).to_string();
        let extensions = if self.random.chance(15) {
            vec![self.random.pick(&EXTENSIONS).to_string()]
        } else {
            Vec::new()
        };
        let mut parts = Vec::new();
        if self.random.chance(30) {
            parts.push(self.parenthetical());
        }
        parts.push(self.speech());
        // Speech parts are never adjacent: a later one follows a parenthetical.
        let more_parts = match self.random.below(20) {
            0 => 2,
            1..=4 => 1,
            _ => 0,
        };
        for _ in 0..more_parts {
            parts.push(self.parenthetical());
            parts.push(self.speech());
        }
        Dialogue {
            character,
            extensions,
            dual,
            parts,
        }
    }

    fn parenthetical(&mut self) -> DialoguePart {
        DialoguePart::Parenthetical(self.random.pick(&PARENTHETICALS).to_string())
    }

    fn speech(&mut self) -> DialoguePart {
        let lines: Vec<&str> = (0..self.random.between(1, 3))
            .map(|_| self.random.pick(&SPEECH))
            .collect();
        DialoguePart::Speech(lines.join("\n"))
    }
}

fn is_act(content: &Content) -> bool {
    matches!(content, Content::Section { depth: 1, .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_screenplay_of_the_asked_size() {
        let one = screenplay(7, 500);
        assert_eq!(one.elements.len(), 500);
        assert_eq!(one, screenplay(7, 500));
        assert_ne!(one, screenplay(8, 500));
    }

    #[test]
    fn a_large_screenplay_uses_every_kind() {
        let kinds: std::collections::BTreeSet<String> = screenplay(1, 3000)
            .elements
            .iter()
            .map(|element| format!("{:?}", std::mem::discriminant(&element.content)))
            .collect();
        assert_eq!(kinds.len(), 11);
    }
}
