//! `score.ly`: one staff per track, absolute pitches, a bar check at every bar line.
//!
//! A score note becomes one LilyPond note or chord, or several tied ones where it crosses a
//! bar line, a key change or a section mark, or where its length is no single note value.
//! Silence becomes rests (`R1*n` for whole bars). [`crate::extract::lilypond`] reads exactly
//! this notation back.

use std::fmt::Write as _;

use crate::Error;
use crate::score::{Key, Note, Role, Score, Track, chords};

/// The LilyPond version the file is written for (the oldest it compiles with).
pub const VERSION: &str = "2.24.0";

const SHARP_NAMES: [&str; 12] = [
    "c", "cis", "d", "dis", "e", "f", "fis", "g", "gis", "a", "ais", "b",
];
const FLAT_NAMES: [&str; 12] = [
    "c", "des", "d", "es", "e", "f", "ges", "g", "as", "a", "bes", "b",
];

/// Renders the score as a LilyPond file.
pub fn write(score: &Score) -> Result<String, Error> {
    score.validate()?;
    let mut out = String::with_capacity(64 * score.note_count() + 1024);
    out.push_str(&format!("\\version \"{VERSION}\"\n"));
    out.push_str(
        "% Written by fountain-orchestration: the same notes as score.mid and score.csd.\n\
         % One staff per character's leitmotif, in story order, then the accompaniment.\n\n",
    );
    out.push_str("\\header {\n");
    out.push_str(&format!("  title = {}\n", string(&score.title)));
    out.push_str("  tagline = ##f\n}\n\n\\score {\n  <<\n");
    for (index, track) in score.tracks.iter().enumerate() {
        Staff::new(score, index, track, &mut out).write();
    }
    // Room on the left for the staff names (names are repeated on every system).
    let longest = score
        .tracks
        .iter()
        .map(|track| track.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    let indent = 4 + 2 * longest;
    let _ = write!(
        out,
        "  >>\n  \\layout {{\n    indent = {indent}\\mm\n    short-indent = {indent}\\mm\n  }}\n}}\n"
    );
    Ok(out)
}

/// `text` as a LilyPond string literal: quotes and backslashes escaped, control characters
/// (newlines, tabs...) shown as spaces, everything else (including non-ASCII) kept as UTF-8.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The LilyPond name of a key's tonic (`bes` for B flat).
pub fn key_name(key: Key) -> &'static str {
    names(key)[usize::from(key.tonic % 12)]
}

fn names(key: Key) -> &'static [&'static str; 12] {
    if key.sharps < 0 {
        &FLAT_NAMES
    } else {
        &SHARP_NAMES
    }
}

/// Absolute LilyPond pitch: `c'` is middle C (MIDI 60).
pub fn pitch_name(pitch: u8, key: Key) -> String {
    let name = names(key)[usize::from(pitch % 12)];
    let octave = i32::from(pitch / 12) - 1;
    let marks = octave - 3;
    let mark = if marks > 0 { "'" } else { "," };
    format!("{name}{}", mark.repeat(marks.unsigned_abs() as usize))
}

/// Note values a duration is built from, longest first: `(ticks, LilyPond duration)`.
fn note_values(whole: u32) -> Vec<(u32, String)> {
    let mut values = vec![(whole, "1".to_owned())];
    for denominator in [2u32, 4, 8, 16, 32, 64, 128] {
        let plain = whole / denominator;
        values.push((plain * 3 / 2, format!("{denominator}.")));
        values.push((plain, denominator.to_string()));
    }
    values
}

struct Staff<'a> {
    score: &'a Score,
    index: usize,
    track: &'a Track,
    out: &'a mut String,
    values: Vec<(u32, String)>,
    bar: u32,
    pos: u32,
    key: Key,
    next_key: usize,
    next_section: usize,
}

impl<'a> Staff<'a> {
    fn new(score: &'a Score, index: usize, track: &'a Track, out: &'a mut String) -> Self {
        Staff {
            score,
            index,
            track,
            out,
            values: note_values(score.bar()),
            bar: score.bar(),
            pos: 0,
            key: Key::C,
            next_key: 0,
            next_section: 0,
        }
    }

    /// Only one staff carries the tempo and the section labels (they are score-wide): the last,
    /// the accompaniment, which is never hidden. LilyPond prints them above the system.
    fn carries_marks(&self) -> bool {
        self.index + 1 == self.score.tracks.len()
    }

    fn write(mut self) {
        let clef = clef(&self.track.notes);
        let _ = write!(
            self.out,
            "    \\new Staff = \"track{}\" \\with {{\n      instrumentName = {name}\n      shortInstrumentName = {name}\n",
            self.index,
            name = string(&self.track.name)
        );
        if matches!(self.track.role, Role::Character { .. }) {
            // Most characters are silent most of the time: a system shows only those who
            // speak in it, so a story with many characters still fits the page.
            self.out.push_str("      \\RemoveAllEmptyStaves\n");
        }
        let _ = write!(self.out, "    }} {{\n      \\clef {clef} \\time 4/4");
        if self.carries_marks() {
            let _ = write!(self.out, " \\tempo 4 = {}", self.score.tempo_bpm);
        }
        self.out.push_str("\n      ");
        for (start, duration, notes) in chords(&self.track.notes) {
            self.rest_until(start);
            self.note(start + duration, notes);
        }
        self.rest_until(self.score.end);
        let trimmed = self.out.trim_end().len();
        self.out.truncate(trimmed);
        self.out.push_str("\n    }\n");
    }

    /// Tick of the next key change or section label this staff still has to write.
    fn next_event(&self) -> u32 {
        let key = self.score.keys.get(self.next_key).map(|change| change.tick);
        let section = if self.carries_marks() {
            self.score
                .sections
                .get(self.next_section)
                .map(|mark| mark.tick)
        } else {
            None
        };
        key.into_iter().chain(section).min().unwrap_or(u32::MAX)
    }

    /// Writes the key changes and section labels due at the current position.
    fn events(&mut self) {
        while let Some(change) = self.score.keys.get(self.next_key) {
            if change.tick > self.pos {
                break;
            }
            self.next_key += 1;
            self.key = change.key;
            let _ = write!(self.out, "\\key {} \\major ", key_name(change.key));
        }
        if self.carries_marks() {
            while let Some(mark) = self.score.sections.get(self.next_section) {
                if mark.tick > self.pos {
                    break;
                }
                self.next_section += 1;
                let _ = write!(self.out, "\\sectionLabel {} ", string(&mark.title));
            }
        }
    }

    /// Where the piece starting at the current position must stop, before `end`.
    fn stop(&self, end: u32) -> u32 {
        let next_bar = (self.pos / self.bar + 1) * self.bar;
        end.min(next_bar).min(self.next_event())
    }

    fn advance(&mut self, ticks: u32) {
        self.pos += ticks;
        if self.pos.is_multiple_of(self.bar) {
            self.out.push_str("|\n      ");
        }
    }

    fn rest_until(&mut self, end: u32) {
        while self.pos < end {
            self.events();
            let stop = end.min(self.next_event());
            if self.pos.is_multiple_of(self.bar) && stop - self.pos >= self.bar {
                let bars = (stop - self.pos) / self.bar;
                if bars == 1 {
                    self.out.push_str("R1 ");
                } else {
                    let _ = write!(self.out, "R1*{bars} ");
                }
                self.advance(bars * self.bar);
                continue;
            }
            let mut left = self.stop(end) - self.pos;
            while left > 0 {
                let (ticks, value) = self.value(left);
                let _ = write!(self.out, "r{value} ");
                left -= ticks;
                self.advance(ticks);
            }
        }
        self.events();
    }

    fn note(&mut self, end: u32, notes: &[Note]) {
        while self.pos < end {
            self.events();
            let mut left = self.stop(end) - self.pos;
            while left > 0 {
                let (ticks, value) = self.value(left);
                let names: Vec<String> = notes
                    .iter()
                    .map(|note| pitch_name(note.pitch, self.key))
                    .collect();
                if let [single] = names.as_slice() {
                    self.out.push_str(single);
                } else {
                    let _ = write!(self.out, "<{}>", names.join(" "));
                }
                self.out.push_str(&value);
                left -= ticks;
                if self.pos + ticks < end {
                    self.out.push('~');
                }
                self.out.push(' ');
                self.advance(ticks);
            }
        }
    }

    /// The longest note value that fits in `left` ticks.
    fn value(&self, left: u32) -> (u32, String) {
        self.values
            .iter()
            .find(|(ticks, _)| *ticks <= left)
            .cloned()
            .unwrap_or_else(|| (left, "128".to_owned()))
    }
}

fn clef(notes: &[Note]) -> &'static str {
    if notes.is_empty() {
        return "treble";
    }
    let total: u64 = notes.iter().map(|note| u64::from(note.pitch)).sum();
    if total / notes.len() as u64 >= 60 {
        "treble"
    } else {
        "bass"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_quotes_backslashes_and_control_characters() {
        assert_eq!(string("plain"), "\"plain\"");
        assert_eq!(string("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(string("back\\slash"), "\"back\\\\slash\"");
        assert_eq!(string("two\nlines\ttab\r"), "\"two lines tab \"");
        assert_eq!(string("Zoë 名前 🎻"), "\"Zoë 名前 🎻\"");
        // A string ending in a backslash still closes.
        assert_eq!(string("\\"), "\"\\\\\"");
        assert_eq!(string("\\\""), "\"\\\\\\\"\"");
    }

    #[test]
    fn pitches_are_absolute_and_spelled_by_the_key() {
        assert_eq!(pitch_name(60, Key::C), "c'");
        assert_eq!(pitch_name(48, Key::C), "c");
        assert_eq!(pitch_name(36, Key::C), "c,");
        assert_eq!(pitch_name(85, Key::C), "cis'''");
        let b_flat = Key {
            tonic: 10,
            sharps: -2,
        };
        assert_eq!(pitch_name(58, b_flat), "bes");
        assert_eq!(key_name(b_flat), "bes");
        assert_eq!(pitch_name(70, Key::C), "ais'");
    }

    #[test]
    fn note_values_cover_every_grid_multiple_greedily() {
        let values = note_values(1920);
        assert_eq!(values.first(), Some(&(1920, "1".to_owned())));
        assert_eq!(values.last(), Some(&(15, "128".to_owned())));
        assert!(values.windows(2).all(|pair| pair[0].0 > pair[1].0));
        assert!(
            values
                .iter()
                .any(|(ticks, name)| *ticks == 720 && name == "4.")
        );
    }
}
