//! Orchestration files from a story's timeline: a leitmotif per character, as LilyPond, MIDI
//! and Csound describing the same notes.
//!
//! The caller maps its story onto [`Voice`]s (one per character, in story order) and
//! [`Beat`]s (one per element, in reading order, plus section starts), then:
//!
//! ```
//! use fountain_orchestration::{Beat, Voice, orchestrate};
//!
//! let voices = [Voice::new("c1", "ALICE"), Voice::new("c2", "BOB")];
//! let beats = [
//!     Beat::SectionStart { title: "Act One" },
//!     Beat::Action { text: "A kitchen at dawn." },
//!     Beat::Line { voice: 0, text: "Morning." },
//!     Beat::Line { voice: 1, text: "Is it?" },
//!     Beat::Transition { text: "CUT TO:" },
//! ];
//! let files = orchestrate("Breakfast", &voices, &beats)?.render()?;
//! assert!(files.lilypond.starts_with("\\version"));
//! assert!(files.midi.starts_with(b"MThd"));
//! assert!(files.csound.starts_with("<CsoundSynthesizer>"));
//! # Ok::<(), fountain_orchestration::Error>(())
//! ```
//!
//! # The music
//!
//! * **Leitmotifs.** Each character's motif is a pure function of the name, case-folded and
//!   with its whitespace normalised, through SHA-256 ([`Motif::for_name`]): a one-bar rhythm
//!   out of sixteen, three to six scale degrees that move mostly by step and end on a note of
//!   the tonic chord, and one of sixteen General MIDI instruments with its register. The same
//!   character has the same motif in every story.
//! * **Time.** 4/4 at 96 quarter notes per minute, 480 ticks per quarter. Every beat of the
//!   story appends whole bars at a cursor, in reading order:
//!   * dialogue: the speaker's motif, one bar per started 60 characters of the line (1 to 4):
//!     theme, sequence a step up, inversion, retrograde. A question ends a step higher, an
//!     exclamation is louder. The accompaniment holds the chord (I, V, IV or vi) that
//!     contains each bar's first note;
//!   * action (and centered text): broken chords in eighths, one bar per started 80
//!     characters (1 or 2), walking the progression I - vi - IV - V;
//!   * transition: a cadence, IV - V | I with the root in the bass (two bars);
//!   * lyric: the singer's motif at half speed over two bars; a lyric without a singer is an
//!     action an octave higher;
//!   * section start: a key change ([`section_key`]: one of nine major keys from the
//!     title's hash) and one bar of the new tonic chord broken upwards;
//!   * notes, synopses, boneyard, page breaks: silent, no time.
//!
//!   The score ends with one bar of the tonic chord, so it is never empty.
//! * **One model, three writers.** [`Score`] holds tracks of notes (start tick, duration,
//!   pitch, velocity), key changes and section marks; [`lilypond`], [`midi`] and
//!   [`csound`] only render it. [`extract`] reads the three files back into note lists, which
//!   the tests compare with the score.
//!
//! See docs/orchestration.md for the file formats and the limits.

pub mod csound;
pub mod extract;
pub mod lilypond;
pub mod midi;
pub mod motif;
pub mod score;
pub mod timeline;

pub use motif::{Instrument, Motif, fold_name};
pub use score::{BeatSpan, Key, KeyChange, Note, Role, Score, SectionMark, Track};
pub use timeline::{orchestrate, section_key};

/// A character of the story, in story order. Its index is what [`Beat::Line`] refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voice {
    /// The character's id in the story (kept for the caller; the music does not use it).
    pub id: String,
    /// The character's name: shown on the staff, and the seed of the leitmotif.
    pub name: String,
}

impl Voice {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Voice {
        Voice {
            id: id.into(),
            name: name.into(),
        }
    }
}

/// One moment of the story, in reading order.
///
/// Mapping of Fountain element kinds: action and centered -> [`Beat::Action`]; dialogue ->
/// [`Beat::Line`] (the index of the speaking character's [`Voice`]); transition ->
/// [`Beat::Transition`]; lyric -> [`Beat::Lyric`] (with the singer when known); note,
/// synopsis, boneyard, page_break -> [`Beat::Other`]; a section heading ->
/// [`Beat::SectionStart`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beat<'a> {
    SectionStart { title: &'a str },
    Line { voice: usize, text: &'a str },
    Action { text: &'a str },
    Transition { text: &'a str },
    Lyric { voice: Option<usize>, text: &'a str },
    Other,
}

/// Why a story could not be orchestrated or a score not written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("beat {beat} refers to voice {voice}, but there are {voices} voices")]
    UnknownVoice {
        beat: usize,
        voice: usize,
        voices: usize,
    },
    #[error("a story of {beats} beats is too long for a MIDI file")]
    TooLong { beats: usize },
    #[error("invalid score: {reason}")]
    InvalidScore { reason: String },
}

/// File name of the LilyPond score.
pub const LILYPOND_FILE: &str = "score.ly";
/// File name of the Standard MIDI File.
pub const MIDI_FILE: &str = "score.mid";
/// File name of the Csound file.
pub const CSOUND_FILE: &str = "score.csd";

/// The three files of one score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    pub lilypond: String,
    pub midi: Vec<u8>,
    pub csound: String,
}

impl Files {
    /// `(file name, content type, bytes)` of each file, in a fixed order.
    pub fn entries(&self) -> [(&'static str, &'static str, &[u8]); 3] {
        [
            (LILYPOND_FILE, "text/x-lilypond", self.lilypond.as_bytes()),
            (MIDI_FILE, "audio/midi", &self.midi),
            (CSOUND_FILE, "text/x-csound", self.csound.as_bytes()),
        ]
    }
}

impl Score {
    /// The LilyPond, MIDI and Csound renderings of this score.
    pub fn render(&self) -> Result<Files, Error> {
        Ok(Files {
            lilypond: lilypond::write(self)?,
            midi: midi::write(self)?,
            csound: csound::write(self)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: [&str; 6] = [
        "QUOTE \"ME\"",
        "BACK\\SLASH\\",
        "NEW\nLINE",
        "}} % \\score { #(exit) $x ;",
        "ZOË 名前 🎻",
        "/* nope */ \u{7}",
    ];

    fn story() -> (Vec<Voice>, Vec<Beat<'static>>) {
        let voices = HOSTILE
            .iter()
            .enumerate()
            .map(|(i, name)| Voice::new(format!("c{i}"), *name))
            .collect();
        let beats = vec![
            Beat::SectionStart {
                title: "\"Act\\ One\"\n}",
            },
            Beat::Line {
                voice: 0,
                text: "a",
            },
            Beat::Line {
                voice: 1,
                text: "b",
            },
            Beat::Line {
                voice: 2,
                text: "c",
            },
            Beat::Line {
                voice: 3,
                text: "d",
            },
            Beat::Line {
                voice: 4,
                text: "e",
            },
            Beat::Line {
                voice: 5,
                text: "f",
            },
        ];
        (voices, beats)
    }

    #[test]
    fn the_same_story_renders_byte_identical_files() -> Result<(), Error> {
        let (voices, beats) = story();
        let first = orchestrate("Title", &voices, &beats)?.render()?;
        let second = orchestrate("Title", &voices, &beats)?.render()?;
        assert_eq!(first, second);
        // A different story gives different files.
        let third = orchestrate("Title", &voices, &beats[..3])?.render()?;
        assert_ne!(first.midi, third.midi);
        Ok(())
    }

    #[test]
    fn hostile_names_are_escaped_in_lilypond_and_csound() -> Result<(), Error> {
        let (voices, beats) = story();
        let files = orchestrate("\"T\"\\\n", &voices, &beats)?.render()?;
        let ly = &files.lilypond;
        assert!(ly.contains("title = \"\\\"T\\\"\\\\ \""));
        assert!(ly.contains("instrumentName = \"QUOTE \\\"ME\\\"\""));
        assert!(ly.contains("instrumentName = \"BACK\\\\SLASH\\\\\""));
        assert!(ly.contains("instrumentName = \"NEW LINE\""));
        assert!(ly.contains("instrumentName = \"ZOË 名前 🎻\""));
        assert!(ly.contains("\\sectionLabel \"\\\"Act\\\\ One\\\" }\""));
        assert!(!ly.contains('\u{7}'));
        // Every staff still parses, one per track.
        let notes =
            extract::lilypond(ly, score::TICKS_PER_QUARTER).map_err(|e| Error::InvalidScore {
                reason: e.to_string(),
            })?;
        let staves: std::collections::BTreeSet<usize> = notes.iter().map(|n| n.track).collect();
        assert_eq!(staves.len(), HOSTILE.len() + 1);

        let csd = &files.csound;
        for line in csd.lines().filter(|line| line.starts_with(';')) {
            assert!(
                line.chars().all(|c| c.is_ascii() && !c.is_ascii_control()),
                "{line:?}"
            );
            assert!(
                !line[1..].contains(['\\', '"', ';', '$', '/', '*']),
                "{line:?}"
            );
        }
        assert!(csd.contains("; Track 4: ZO<U+00CB> <U+540D><U+524D> <U+1F3BB>"));
        // The MIDI track names keep the names as they are.
        let name = b"NEW\nLINE";
        assert!(files.midi.windows(name.len()).any(|w| w == name));
        Ok(())
    }
}
