//! Reads the notes back out of the three files, to prove they describe the score's notes.
//!
//! Each extractor returns [`TrackNote`]s sorted by `(track, start, pitch)`; compare them with
//! [`score_notes`]. LilyPond has no velocities, so its notes carry `velocity: None`; compare
//! with [`without_velocity`]. The LilyPond and Csound readers understand the notation this
//! crate writes, not the whole languages.

use crate::score::Score;

/// A note of one track, as written in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TrackNote {
    /// Index of the score track (MIDI track minus the conductor, LilyPond staff, Csound p6).
    pub track: usize,
    pub start: u32,
    pub duration: u32,
    pub pitch: u8,
    pub velocity: Option<u8>,
}

/// A file that is not what this crate writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{format}: {reason}")]
pub struct ExtractError {
    pub format: &'static str,
    pub reason: String,
}

fn fail<T>(format: &'static str, reason: impl Into<String>) -> Result<T, ExtractError> {
    Err(ExtractError {
        format,
        reason: reason.into(),
    })
}

fn sorted(mut notes: Vec<TrackNote>) -> Vec<TrackNote> {
    notes.sort_unstable_by_key(|note| (note.track, note.start, note.pitch));
    notes
}

/// The score's notes, with velocities.
pub fn score_notes(score: &Score) -> Vec<TrackNote> {
    let notes = score
        .tracks
        .iter()
        .enumerate()
        .flat_map(|(track, notes)| {
            notes.notes.iter().map(move |note| TrackNote {
                track,
                start: note.start,
                duration: note.duration,
                pitch: note.pitch,
                velocity: Some(note.velocity),
            })
        })
        .collect();
    sorted(notes)
}

/// The same notes with the velocities dropped.
pub fn without_velocity(notes: &[TrackNote]) -> Vec<TrackNote> {
    notes
        .iter()
        .map(|note| TrackNote {
            velocity: None,
            ..*note
        })
        .collect()
}

/// Notes of a Standard MIDI File (parsed by midly, strictly): note-on/note-off pairs per
/// track, track 0 being the conductor track. Also checks the header is format 1 and the
/// division is `ticks_per_quarter`.
pub fn midi(bytes: &[u8], ticks_per_quarter: u16) -> Result<Vec<TrackNote>, ExtractError> {
    use midly::{Format, MidiMessage, Smf, Timing, TrackEventKind};
    const F: &str = "MIDI";
    let smf = match Smf::parse(bytes) {
        Ok(smf) => smf,
        Err(error) => return fail(F, format!("strict parse failed: {error}")),
    };
    if smf.header.format != Format::Parallel {
        return fail(F, format!("format {:?}, not 1", smf.header.format));
    }
    if smf.header.timing != Timing::Metrical(midly::num::u15::new(ticks_per_quarter)) {
        return fail(F, format!("timing {:?}", smf.header.timing));
    }
    let mut notes = Vec::new();
    for (index, events) in smf.tracks.iter().enumerate().skip(1) {
        let track = index - 1;
        // Sounding keys: start tick and velocity, per channel and key.
        let mut sounding: [[Option<(u32, u8)>; 128]; 16] = [[None; 128]; 16];
        let mut tick = 0u32;
        for event in events {
            tick += event.delta.as_int();
            let TrackEventKind::Midi { channel, message } = event.kind else {
                continue;
            };
            let (key, on_velocity) = match message {
                MidiMessage::NoteOn { key, vel } if vel.as_int() > 0 => (key, Some(vel.as_int())),
                MidiMessage::NoteOn { key, .. } | MidiMessage::NoteOff { key, .. } => (key, None),
                _ => continue,
            };
            let slot = &mut sounding[usize::from(channel.as_int())][usize::from(key.as_int())];
            match (on_velocity, slot.take()) {
                (Some(velocity), None) => *slot = Some((tick, velocity)),
                (None, Some((start, velocity))) => notes.push(TrackNote {
                    track,
                    start,
                    duration: tick - start,
                    pitch: key.as_int(),
                    velocity: Some(velocity),
                }),
                (Some(_), Some((start, _))) => {
                    return fail(
                        F,
                        format!(
                            "track {index}: key {} struck again at {tick}, still sounding since {start}",
                            key.as_int()
                        ),
                    );
                }
                (None, None) => {
                    return fail(
                        F,
                        format!(
                            "track {index}: key {} released at {tick} but not sounding",
                            key.as_int()
                        ),
                    );
                }
            }
        }
        if sounding.iter().flatten().any(Option::is_some) {
            return fail(F, format!("track {index}: a note is never released"));
        }
    }
    Ok(sorted(notes))
}

/// Notes of a Csound file: its `i` statements `i instr start duration pitch velocity track`,
/// start and duration in beats of `ticks_per_quarter` ticks.
pub fn csound(text: &str, ticks_per_quarter: u16) -> Result<Vec<TrackNote>, ExtractError> {
    const F: &str = "Csound";
    let Some((_, after)) = text.split_once("<CsScore>") else {
        return fail(F, "no <CsScore>");
    };
    let Some((score, _)) = after.split_once("</CsScore>") else {
        return fail(F, "no </CsScore>");
    };
    let mut notes = Vec::new();
    for (number, line) in score.lines().enumerate() {
        let statement = line.split(';').next().unwrap_or("").trim();
        let Some(fields) = statement.strip_prefix("i ") else {
            continue;
        };
        let fields: Vec<&str> = fields.split_whitespace().collect();
        let [_instrument, start, duration, pitch, velocity, track] = fields.as_slice() else {
            return fail(
                F,
                format!("score line {number}: {line:?} has not 6 p-fields"),
            );
        };
        let bad = |what: &str| ExtractError {
            format: F,
            reason: format!("score line {number}: bad {what} in {line:?}"),
        };
        notes.push(TrackNote {
            track: track.parse().map_err(|_| bad("track"))?,
            start: ticks(start, ticks_per_quarter).ok_or_else(|| bad("start"))?,
            duration: ticks(duration, ticks_per_quarter).ok_or_else(|| bad("duration"))?,
            pitch: pitch.parse().map_err(|_| bad("pitch"))?,
            velocity: Some(velocity.parse().map_err(|_| bad("velocity"))?),
        });
    }
    Ok(sorted(notes))
}

/// A decimal number of beats as whole ticks, if it is exactly a whole number of ticks.
fn ticks(beats: &str, ticks_per_quarter: u16) -> Option<u32> {
    let (whole, fraction) = beats.split_once('.').unwrap_or((beats, ""));
    if whole.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let tpq = u64::from(ticks_per_quarter);
    let whole: u64 = whole.parse().ok()?;
    let scale = 10u64.checked_pow(u32::try_from(fraction.len()).ok()?)?;
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let numerator = fraction.checked_mul(tpq)?;
    if numerator % scale != 0 {
        return None;
    }
    u32::try_from(whole.checked_mul(tpq)? + numerator / scale).ok()
}

/// Notes of a LilyPond file written by this crate: the music of each `\new Staff =
/// "trackN"`, absolute pitches, rests, `R1*n`, ties (`~`), bar checks (which must fall on bar
/// lines of 4/4) and the commands the writer uses (`\clef`, `\time`, `\tempo`, `\key`,
/// `\sectionLabel`).
pub fn lilypond(text: &str, ticks_per_quarter: u16) -> Result<Vec<TrackNote>, ExtractError> {
    const F: &str = "LilyPond";
    let whole = 4 * u32::from(ticks_per_quarter);
    let mut notes = Vec::new();
    let marker = "\\new Staff = \"track";
    let mut rest = text;
    while let Some(found) = rest.find(marker) {
        rest = &rest[found + marker.len()..];
        let Some((index, after)) = rest.split_once('"') else {
            return fail(F, "unterminated staff name");
        };
        let Ok(track) = index.parse::<usize>() else {
            return fail(F, format!("staff name track{index:?}"));
        };
        let mut tokens = Tokens { text: after };
        // Skip the \with { ... } block, then read the music block.
        expect(&mut tokens, "\\with")?;
        expect(&mut tokens, "{")?;
        while tokens
            .next()
            .ok_or_else(|| error("unterminated \\with block"))?
            != "}"
        {}
        expect(&mut tokens, "{")?;
        staff(&mut tokens, track, whole, &mut notes)?;
        rest = tokens.text;
    }
    Ok(sorted(notes))
}

fn error(reason: impl Into<String>) -> ExtractError {
    ExtractError {
        format: "LilyPond",
        reason: reason.into(),
    }
}

fn expect(tokens: &mut Tokens<'_>, want: &str) -> Result<(), ExtractError> {
    match tokens.next() {
        Some(token) if token == want => Ok(()),
        other => Err(error(format!("expected {want:?}, found {other:?}"))),
    }
}

/// Whitespace-separated tokens, with `%` comments skipped and `"strings"` and `<chords>` as
/// single tokens (a chord keeps its duration: `<c e g>4~`).
struct Tokens<'a> {
    text: &'a str,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            self.text = self.text.trim_start();
            if self.text.starts_with('%') {
                let end = self.text.find('\n').unwrap_or(self.text.len());
                self.text = &self.text[end..];
            } else {
                break;
            }
        }
        let bytes = self.text.as_bytes();
        let end = match bytes.first()? {
            b'"' => {
                let mut i = 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                (i + 1).min(bytes.len())
            }
            b'<' => {
                let close = self.text.find('>').map_or(self.text.len(), |i| i + 1);
                close
                    + self.text[close..]
                        .find(char::is_whitespace)
                        .unwrap_or(self.text.len() - close)
            }
            _ => self
                .text
                .find(char::is_whitespace)
                .unwrap_or(self.text.len()),
        };
        let (token, rest) = self.text.split_at(end);
        self.text = rest;
        Some(token)
    }
}

/// Arguments each command the writer uses takes.
fn arguments(command: &str) -> Option<usize> {
    match command {
        "\\clef" | "\\time" | "\\sectionLabel" => Some(1),
        "\\key" => Some(2),
        "\\tempo" => Some(3),
        _ => None,
    }
}

fn staff(
    tokens: &mut Tokens<'_>,
    track: usize,
    whole: u32,
    notes: &mut Vec<TrackNote>,
) -> Result<(), ExtractError> {
    let mut pos = 0u32;
    // A tied note or chord still growing: start, pitches, duration so far.
    let mut tied: Option<(u32, Vec<u8>, u32)> = None;
    loop {
        let token = tokens
            .next()
            .ok_or_else(|| error(format!("staff {track} is not closed")))?;
        if token == "}" {
            break;
        }
        if token == "|" {
            if !pos.is_multiple_of(whole) {
                return Err(error(format!(
                    "staff {track}: bar check at tick {pos}, not on a bar line"
                )));
            }
            continue;
        }
        if let Some(count) = arguments(token) {
            for _ in 0..count {
                tokens.next();
            }
            continue;
        }
        if token.starts_with('\\') {
            return Err(error(format!("staff {track}: unknown command {token}")));
        }
        if let Some(rest) = token.strip_prefix('R') {
            let (value, bars) = rest.split_once('*').unwrap_or((rest, "1"));
            let length = duration(value, whole)?;
            let bars: u32 = bars
                .parse()
                .map_err(|_| error(format!("staff {track}: {token}")))?;
            pos += length * bars;
            continue;
        }
        if let Some(value) = token.strip_prefix('r') {
            if tied.is_some() {
                return Err(error(format!("staff {track}: rest after a tie at {pos}")));
            }
            pos += duration(value, whole)?;
            continue;
        }
        // A note or a chord, maybe tied to the next.
        let (body, is_tied) = match token.strip_suffix('~') {
            Some(body) => (body, true),
            None => (token, false),
        };
        let (pitches, value) = if let Some(chord) = body.strip_prefix('<') {
            let (inside, value) = chord
                .split_once('>')
                .ok_or_else(|| error(format!("staff {track}: {token}")))?;
            let pitches = inside
                .split_whitespace()
                .map(pitch)
                .collect::<Result<Vec<u8>, _>>()?;
            (pitches, value)
        } else {
            let split = body
                .find(|c: char| c.is_ascii_digit())
                .ok_or_else(|| error(format!("staff {track}: no duration in {token}")))?;
            (vec![pitch(&body[..split])?], &body[split..])
        };
        let length = duration(value, whole)?;
        let (start, so_far) = match tied.take() {
            Some((start, previous, so_far)) => {
                if previous != pitches {
                    return Err(error(format!(
                        "staff {track}: tie at {pos} joins different pitches"
                    )));
                }
                (start, so_far)
            }
            None => (pos, 0),
        };
        pos += length;
        if is_tied {
            tied = Some((start, pitches, so_far + length));
        } else {
            notes.extend(pitches.into_iter().map(|pitch| TrackNote {
                track,
                start,
                duration: so_far + length,
                pitch,
                velocity: None,
            }));
        }
    }
    if tied.is_some() {
        return Err(error(format!("staff {track}: ends inside a tie")));
    }
    Ok(())
}

/// Ticks of a LilyPond duration (`4`, `8.`, `2..`), `whole` being a whole note's ticks.
fn duration(value: &str, whole: u32) -> Result<u32, ExtractError> {
    let digits = value.trim_end_matches('.');
    let dots = value.len() - digits.len();
    let denominator: u32 = digits
        .parse()
        .map_err(|_| error(format!("duration {value:?}")))?;
    if denominator == 0 || !denominator.is_power_of_two() || !whole.is_multiple_of(denominator) {
        return Err(error(format!("duration {value:?}")));
    }
    let base = whole / denominator;
    let mut total = base;
    for dot in 1..=dots {
        let part = base >> dot;
        if part << dot != base {
            return Err(error(format!("duration {value:?} is finer than a tick")));
        }
        total += part;
    }
    Ok(total)
}

/// MIDI key of an absolute LilyPond pitch (`c'` = 60, `bes,` = 46, `fis''` = 78).
fn pitch(name: &str) -> Result<u8, ExtractError> {
    let bad = || error(format!("pitch {name:?}"));
    let mut chars = name.chars();
    let class: i32 = match chars.next() {
        Some('c') => 0,
        Some('d') => 2,
        Some('e') => 4,
        Some('f') => 5,
        Some('g') => 7,
        Some('a') => 9,
        Some('b') => 11,
        _ => return Err(bad()),
    };
    let rest = chars.as_str();
    let (alteration, marks) = if let Some(marks) = rest.strip_prefix("is") {
        (1, marks)
    } else if let Some(marks) = rest.strip_prefix("es") {
        (-1, marks)
    } else if let Some(marks) = rest.strip_prefix('s') {
        (-1, marks)
    } else {
        (0, rest)
    };
    let octave = if marks.chars().all(|c| c == '\'') {
        3 + marks.len() as i32
    } else if marks.chars().all(|c| c == ',') {
        3 - marks.len() as i32
    } else {
        return Err(bad());
    };
    let midi = 12 * (octave + 1) + class + alteration;
    u8::try_from(midi)
        .ok()
        .filter(|&midi| midi <= 127)
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lilypond_pitches_and_durations_read_back() -> Result<(), ExtractError> {
        assert_eq!(pitch("c'")?, 60);
        assert_eq!(pitch("c")?, 48);
        assert_eq!(pitch("bes,")?, 46);
        assert_eq!(pitch("fis''")?, 78);
        assert_eq!(pitch("es'")?, 63);
        assert_eq!(pitch("as")?, 56);
        assert!(pitch("h'").is_err());
        assert!(pitch("c',").is_err());
        assert_eq!(duration("1", 1920)?, 1920);
        assert_eq!(duration("4.", 1920)?, 720);
        assert_eq!(duration("2..", 1920)?, 1680);
        assert_eq!(duration("128", 1920)?, 15);
        assert!(duration("3", 1920).is_err());
        Ok(())
    }

    #[test]
    fn csound_beats_read_back_only_when_exact() {
        assert_eq!(ticks("0", 480), Some(0));
        assert_eq!(ticks("4", 480), Some(1920));
        assert_eq!(ticks("0.5", 480), Some(240));
        assert_eq!(ticks("10.09375", 480), Some(4845));
        assert_eq!(ticks("0.001", 480), None);
        assert_eq!(ticks("-1", 480), None);
        assert_eq!(ticks("1e3", 480), None);
    }

    #[test]
    fn a_hand_written_staff_with_ties_rests_and_chords_reads_back() -> Result<(), ExtractError> {
        let text = "\\new Staff = \"track2\" \\with { instrumentName = \"A \\\"q\\\" }\" } {\n\
                    \\clef bass \\time 4/4 \\key bes \\major \\sectionLabel \"x } y\"\n\
                    c'2 r4 <c e g>4~ | <c e g>8 r8 r4 r2 | R1*2 r2. d4 | % comment }\n}";
        let notes = lilypond(text, 480)?;
        let found: Vec<(usize, u32, u32, u8)> = notes
            .iter()
            .map(|note| (note.track, note.start, note.duration, note.pitch))
            .collect();
        assert_eq!(
            found,
            vec![
                (2, 0, 960, 60),
                (2, 1440, 720, 48),
                (2, 1440, 720, 52),
                (2, 1440, 720, 55),
                (2, 9120, 480, 50),
            ]
        );
        Ok(())
    }

    #[test]
    fn a_misplaced_bar_check_is_an_error() {
        let text = "\\new Staff = \"track0\" \\with { } { c'4 | }";
        assert!(lilypond(text, 480).is_err());
    }
}
