//! From a story's beats, in reading order, to a [`Score`].
//!
//! A cursor walks the beats; each beat appends whole bars at the cursor (or nothing), so the
//! music follows the story's order exactly and every segment starts on a bar line.

use crate::motif::{self, Motif, fold_name, stable_hash};
use crate::score::{
    BEATS_PER_BAR, BeatSpan, Key, KeyChange, MAX_TICKS, Note, Role, Score, SectionMark, TEMPO_BPM,
    TICKS_PER_QUARTER, Track,
};
use crate::{Beat, Error, Voice};

const EIGHTH: u32 = TICKS_PER_QUARTER as u32 / 2;
const QUARTER: u32 = TICKS_PER_QUARTER as u32;
const BAR: u32 = QUARTER * BEATS_PER_BAR;

/// Characters of dialogue per bar of motif; a line gets 1..=4 bars.
const CHARS_PER_DIALOGUE_BAR: usize = 60;
const MAX_DIALOGUE_BARS: usize = 4;
/// Characters of action per bar of arpeggio; an action gets 1..=2 bars.
const CHARS_PER_ACTION_BAR: usize = 80;
const MAX_ACTION_BARS: usize = 2;

/// Octave of the accompaniment's chords (the octave below middle C).
const CHORD_OCTAVE: i8 = 3;
/// MIDI channels of character tracks: all but the accompaniment's (0) and drums (9).
const CHARACTER_CHANNELS: [u8; 14] = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15];
/// Acoustic Grand Piano.
const ACCOMPANIMENT_PROGRAM: u8 = 0;

/// Harmony of the story, as scale-degree roots: I, vi, IV, V.
const PROGRESSION: [i32; 4] = [0, 5, 3, 4];
/// Chords a motif note is harmonised with, in order of preference: I, V, IV, vi.
const HARMONISING_ROOTS: [i32; 4] = [0, 4, 3, 5];

/// The music of a story, before it is written down.
pub fn orchestrate(title: &str, voices: &[Voice], beats: &[Beat<'_>]) -> Result<Score, Error> {
    let motifs: Vec<Motif> = voices
        .iter()
        .map(|voice| Motif::for_name(&voice.name))
        .collect();
    let mut tracks: Vec<Track> = voices
        .iter()
        .zip(&motifs)
        .enumerate()
        .map(|(index, (voice, motif))| Track {
            name: voice.name.clone(),
            role: Role::Character { voice: index },
            program: motif.instrument.program,
            channel: CHARACTER_CHANNELS[index % CHARACTER_CHANNELS.len()],
            notes: Vec::new(),
        })
        .collect();
    tracks.push(Track {
        name: "Accompaniment".into(),
        role: Role::Accompaniment,
        program: ACCOMPANIMENT_PROGRAM,
        channel: 0,
        notes: Vec::new(),
    });
    let mut writer = Writer {
        tracks,
        accompaniment: voices.len(),
        key: Key::C,
        cursor: 0,
        harmony: 0,
    };
    let mut keys = vec![KeyChange {
        tick: 0,
        key: Key::C,
    }];
    let mut sections = Vec::new();
    let mut spans = Vec::with_capacity(beats.len());

    for (index, beat) in beats.iter().enumerate() {
        let start = writer.cursor;
        match *beat {
            Beat::SectionStart { title } => {
                let key = section_key(title);
                if keys.last().is_some_and(|last| last.tick == start) {
                    keys.pop();
                }
                keys.push(KeyChange { tick: start, key });
                sections.push(SectionMark {
                    tick: start,
                    title: title.to_owned(),
                });
                writer.key = key;
                writer.harmony = 0;
                writer.section_fanfare();
            }
            Beat::Line { voice, text } => {
                let motif = motifs.get(voice).ok_or(Error::UnknownVoice {
                    beat: index,
                    voice,
                    voices: voices.len(),
                })?;
                writer.dialogue(voice, motif, text);
            }
            Beat::Action { text } => writer.action(text, CHORD_OCTAVE),
            Beat::Transition { .. } => writer.cadence(),
            Beat::Lyric {
                voice: Some(voice),
                text,
            } => {
                let motif = motifs.get(voice).ok_or(Error::UnknownVoice {
                    beat: index,
                    voice,
                    voices: voices.len(),
                })?;
                writer.song(voice, motif, text);
            }
            Beat::Lyric { voice: None, text } => writer.action(text, CHORD_OCTAVE + 1),
            Beat::Other => {}
        }
        if writer.cursor > MAX_TICKS - BAR {
            return Err(Error::TooLong { beats: beats.len() });
        }
        spans.push(BeatSpan {
            start,
            end: writer.cursor,
        });
    }
    writer.final_chord();

    let score = Score {
        title: title.to_owned(),
        ticks_per_quarter: TICKS_PER_QUARTER,
        tempo_bpm: TEMPO_BPM,
        end: writer.cursor,
        tracks: writer.tracks,
        keys,
        sections,
        beats: spans,
    };
    score.validate()?;
    Ok(score)
}

/// The key a section modulates to: a pure function of its case-folded title.
pub fn section_key(title: &str) -> Key {
    let h = stable_hash("key/v1", &fold_name(title));
    Key::MAJOR[usize::from(h[0]) % Key::MAJOR.len()]
}

struct Writer {
    tracks: Vec<Track>,
    accompaniment: usize,
    key: Key,
    cursor: u32,
    /// Position in [`PROGRESSION`] of the next action's chord.
    harmony: usize,
}

fn bars_for(text: &str, chars_per_bar: usize, max: usize) -> u32 {
    let chars = text.chars().count();
    chars.div_ceil(chars_per_bar).clamp(1, max) as u32
}

impl Writer {
    fn pitch(&self, octave: i8, degree: i32) -> u8 {
        motif::pitch(self.key.tonic, octave, degree)
    }

    fn push(&mut self, track: usize, start: u32, duration: u32, pitch: u8, velocity: u8) {
        if let Some(track) = self.tracks.get_mut(track) {
            track.notes.push(Note {
                start,
                duration,
                pitch,
                velocity,
            });
        }
    }

    /// A triad on `root` (a scale degree), all notes `start..start + duration`.
    fn chord(&mut self, start: u32, duration: u32, root: i32, octave: i8, velocity: u8) {
        let mut pitches: Vec<u8> = [root, root + 2, root + 4]
            .iter()
            .map(|&degree| self.pitch(octave, degree))
            .collect();
        pitches.sort_unstable();
        pitches.dedup();
        for pitch in pitches {
            self.push(self.accompaniment, start, duration, pitch, velocity);
        }
    }

    /// One bar of `motif` at the cursor, over the chord that harmonises its first note.
    fn motif_bar(&mut self, voice: usize, motif: &Motif, velocity: u8, stretch: u32) {
        let start = self.cursor;
        let mut at = start;
        for (index, (&degree, &eighths)) in motif.degrees.iter().zip(&motif.rhythm).enumerate() {
            let duration = u32::from(eighths) * EIGHTH * stretch;
            let accent = if index == 0 { 8 } else { 0 };
            let pitch = self.pitch(motif.instrument.octave, i32::from(degree));
            self.push(voice, at, duration, pitch, velocity.saturating_add(accent));
            at += duration;
        }
        let first = i32::from(motif.degrees.first().copied().unwrap_or(0));
        let root = HARMONISING_ROOTS
            .iter()
            .copied()
            .find(|root| matches!((first - root).rem_euclid(7), 0 | 2 | 4))
            .unwrap_or(0);
        for bar in 0..stretch {
            self.chord(start + bar * BAR, BAR, root, CHORD_OCTAVE, 48);
        }
        self.cursor = start + BAR * stretch;
    }

    /// Dialogue: the speaker's motif, then variations as the line goes on.
    fn dialogue(&mut self, voice: usize, motif: &Motif, text: &str) {
        let bars = bars_for(text, CHARS_PER_DIALOGUE_BAR, MAX_DIALOGUE_BARS);
        let trimmed = text.trim_end();
        let loud = if trimmed.ends_with('!') { 16 } else { 0 };
        let plan = [
            motif.clone(),
            motif.sequence(1),
            motif.inversion(),
            motif.retrograde(),
        ];
        for (index, variant) in plan.iter().take(bars as usize).enumerate() {
            let mut variant = variant.clone();
            if index + 1 == bars as usize && trimmed.ends_with('?') {
                // A question ends a step up, unresolved.
                if let Some(last) = variant.degrees.last_mut() {
                    *last += 1;
                }
            }
            let velocity = [88u8, 82, 78, 84][index % 4] + loud;
            self.motif_bar(voice, &variant, velocity, 1);
        }
    }

    /// A sung lyric: the singer's motif at half speed (two bars).
    fn song(&mut self, voice: usize, motif: &Motif, _text: &str) {
        self.motif_bar(voice, motif, 72, 2);
    }

    /// Action: broken chords of the story's progression, one chord per bar.
    fn action(&mut self, text: &str, octave: i8) {
        let bars = bars_for(text, CHARS_PER_ACTION_BAR, MAX_ACTION_BARS);
        for _ in 0..bars {
            let root = PROGRESSION[self.harmony % PROGRESSION.len()];
            self.harmony += 1;
            let start = self.cursor;
            for (index, offset) in [0, 2, 4, 7, 9, 7, 4, 2].into_iter().enumerate() {
                let pitch = self.pitch(octave, root + offset);
                let velocity = if index % 4 == 0 { 70 } else { 60 };
                self.push(
                    self.accompaniment,
                    start + index as u32 * EIGHTH,
                    EIGHTH,
                    pitch,
                    velocity,
                );
            }
            self.cursor += BAR;
        }
    }

    /// Transition: a full cadence, IV - V | I.
    fn cadence(&mut self) {
        let start = self.cursor;
        self.chord(start, 2 * QUARTER, 3, CHORD_OCTAVE, 68);
        self.chord(start + 2 * QUARTER, 2 * QUARTER, 4, CHORD_OCTAVE, 74);
        self.tonic_with_bass(start + BAR, 80);
        self.cursor = start + 2 * BAR;
        self.harmony = 0;
    }

    /// A section starts: the new tonic chord broken upwards, one quarter per note.
    fn section_fanfare(&mut self) {
        let start = self.cursor;
        for (index, degree) in [0, 2, 4, 7].into_iter().enumerate() {
            let pitch = self.pitch(CHORD_OCTAVE, degree);
            self.push(
                self.accompaniment,
                start + index as u32 * QUARTER,
                QUARTER,
                pitch,
                76,
            );
        }
        self.cursor = start + BAR;
    }

    /// The end: one bar of the tonic chord over its root an octave down.
    fn final_chord(&mut self) {
        self.tonic_with_bass(self.cursor, 64);
        self.cursor += BAR;
    }

    fn tonic_with_bass(&mut self, start: u32, velocity: u8) {
        let bass = self.pitch(CHORD_OCTAVE - 1, 0);
        self.push(self.accompaniment, start, BAR, bass, velocity);
        self.chord(start, BAR, 0, CHORD_OCTAVE, velocity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Role;

    fn voices() -> Vec<Voice> {
        vec![Voice::new("c1", "ALICE"), Voice::new("c2", "BOB")]
    }

    #[test]
    fn beats_follow_the_story_in_order_on_bar_lines() -> Result<(), Error> {
        let beats = [
            Beat::SectionStart { title: "One" },
            Beat::Action { text: "Rain." },
            Beat::Line {
                voice: 0,
                text: "Hi.",
            },
            Beat::Other,
            Beat::Line {
                voice: 1,
                text: "Hello?",
            },
            Beat::Transition { text: "CUT TO:" },
            Beat::Lyric {
                voice: Some(1),
                text: "La la",
            },
            Beat::Lyric {
                voice: None,
                text: "La",
            },
        ];
        let score = orchestrate("T", &voices(), &beats)?;
        let spans: Vec<(u32, u32)> = score.beats.iter().map(|s| (s.start, s.end)).collect();
        let b = BAR;
        assert_eq!(
            spans,
            vec![
                (0, b),
                (b, 2 * b),
                (2 * b, 3 * b),
                (3 * b, 3 * b),
                (3 * b, 4 * b),
                (4 * b, 6 * b),
                (6 * b, 8 * b),
                (8 * b, 9 * b),
            ]
        );
        assert_eq!(score.end, 10 * b, "the final chord adds one bar");
        // Alice sounds only during her line, Bob only during his line and his song.
        let sounding = |track: usize| -> Vec<u32> {
            let mut bars: Vec<u32> = score.tracks[track]
                .notes
                .iter()
                .map(|note| note.start / b)
                .collect();
            bars.dedup();
            bars
        };
        assert_eq!(sounding(0), vec![2]);
        assert_eq!(sounding(1), vec![3, 6, 7]);
        // The accompaniment plays under everything, including the final chord.
        assert_eq!(sounding(2), (0..10).collect::<Vec<_>>());
        assert_eq!(score.tracks[2].role, Role::Accompaniment);
        Ok(())
    }

    #[test]
    fn a_line_plays_the_speakers_motif_in_the_speakers_track() -> Result<(), Error> {
        let beats = [Beat::Line {
            voice: 1,
            text: "Short.",
        }];
        let score = orchestrate("T", &voices(), &beats)?;
        let motif = Motif::for_name("bob");
        let pitches: Vec<u8> = score.tracks[1].notes.iter().map(|n| n.pitch).collect();
        let expected: Vec<u8> = motif
            .degrees
            .iter()
            .map(|&d| motif::pitch(0, motif.instrument.octave, i32::from(d)))
            .collect();
        assert_eq!(pitches, expected);
        let durations: Vec<u32> = score.tracks[1].notes.iter().map(|n| n.duration).collect();
        let rhythm: Vec<u32> = motif
            .rhythm
            .iter()
            .map(|&r| u32::from(r) * EIGHTH)
            .collect();
        assert_eq!(durations, rhythm);
        assert!(score.tracks[0].notes.is_empty());
        assert_eq!(score.tracks[1].program, motif.instrument.program);
        Ok(())
    }

    #[test]
    fn longer_lines_get_more_bars_up_to_four() -> Result<(), Error> {
        let lengths = [(1, 1), (60, 1), (61, 2), (180, 3), (240, 4), (5000, 4)];
        for (chars, bars) in lengths {
            let text = "x".repeat(chars);
            let beats = [Beat::Line {
                voice: 0,
                text: &text,
            }];
            let score = orchestrate("T", &voices(), &beats)?;
            assert_eq!(score.beats[0].end, bars * BAR, "{chars} characters");
        }
        Ok(())
    }

    #[test]
    fn a_section_changes_key_by_its_title() -> Result<(), Error> {
        let beats = [
            Beat::SectionStart { title: "Act One" },
            Beat::Line {
                voice: 0,
                text: "A",
            },
            Beat::SectionStart { title: "ACT ONE" },
        ];
        let score = orchestrate("T", &voices(), &beats)?;
        let key = section_key("act one");
        assert_eq!(
            score.keys,
            vec![KeyChange { tick: 0, key }, KeyChange { tick: 2 * BAR, key }]
        );
        assert_eq!(score.sections.len(), 2);
        assert_eq!(score.sections[1].title, "ACT ONE");
        Ok(())
    }

    #[test]
    fn an_empty_story_is_one_bar_of_the_tonic() -> Result<(), Error> {
        let score = orchestrate("", &[], &[])?;
        assert_eq!(score.end, BAR);
        assert_eq!(score.tracks.len(), 1);
        assert_eq!(score.tracks[0].notes.len(), 4);
        Ok(())
    }

    #[test]
    fn a_line_of_an_unknown_voice_is_refused() {
        let beats = [
            Beat::Action { text: "" },
            Beat::Line {
                voice: 2,
                text: "?",
            },
        ];
        assert_eq!(
            orchestrate("T", &voices(), &beats),
            Err(Error::UnknownVoice {
                beat: 1,
                voice: 2,
                voices: 2
            })
        );
        let beats = [Beat::Lyric {
            voice: Some(9),
            text: "",
        }];
        assert!(orchestrate("T", &voices(), &beats).is_err());
    }

    #[test]
    fn many_characters_share_the_fourteen_melodic_channels() -> Result<(), Error> {
        let voices: Vec<Voice> = (0..20)
            .map(|i| Voice::new(format!("c{i}"), format!("NAME {i}")))
            .collect();
        let score = orchestrate("T", &voices, &[])?;
        assert!(score.tracks.iter().all(|t| t.channel != 9));
        assert_eq!(score.tracks[14].channel, score.tracks[0].channel);
        assert_eq!(score.tracks[20].channel, 0);
        Ok(())
    }
}
