//! The score: the one model the three writers render.
//!
//! Time is integer ticks only. Every start and duration lies on the [`Score::grid`] (a 128th
//! note), which is what makes the three files agree exactly: a grid multiple is a finite
//! LilyPond duration sum, a whole MIDI delta, and a Csound beat with at most five decimals.

use crate::Error;

/// Ticks per quarter note of every score the timeline builds (the MIDI division).
pub const TICKS_PER_QUARTER: u16 = 480;
/// Quarter notes per bar: every score is in 4/4.
pub const BEATS_PER_BAR: u32 = 4;
/// Tempo of every score the timeline builds, in quarter notes per minute.
pub const TEMPO_BPM: u16 = 96;
/// The longest score in ticks: a MIDI delta time is a 28-bit number.
pub const MAX_TICKS: u32 = (1 << 28) - 1;

/// One sounding note of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Note {
    /// Start, in ticks from the beginning of the score.
    pub start: u32,
    /// Length in ticks; never zero.
    pub duration: u32,
    /// MIDI key number (60 is middle C).
    pub pitch: u8,
    /// MIDI velocity, 1..=127.
    pub velocity: u8,
}

/// What a track plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The leitmotif of one character: `voice` indexes the voices the score was built from.
    Character { voice: usize },
    /// Chords, arpeggios and cadences under the story's actions, transitions and sections.
    Accompaniment,
}

/// One staff of the LilyPond score, one track of the MIDI file, one `p6` of the Csound score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    /// Display name (the character's name, or "Accompaniment").
    pub name: String,
    /// What the track plays.
    pub role: Role,
    /// General MIDI program (0-based).
    pub program: u8,
    /// MIDI channel, 0..=15.
    pub channel: u8,
    /// Notes sorted by `(start, pitch)`. Notes with the same start form a chord and have the
    /// same duration; a chord ends before the next one starts.
    pub notes: Vec<Note>,
}

/// A major key, as a key signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// Pitch class of the tonic, 0 (C) ..= 11 (B).
    pub tonic: u8,
    /// Sharps (positive) or flats (negative) of the signature.
    pub sharps: i8,
}

impl Key {
    /// C major.
    pub const C: Key = Key {
        tonic: 0,
        sharps: 0,
    };

    /// The major keys a section may move to: up to four sharps or four flats.
    pub const MAJOR: [Key; 9] = [
        Key::C,
        Key {
            tonic: 7,
            sharps: 1,
        },
        Key {
            tonic: 2,
            sharps: 2,
        },
        Key {
            tonic: 9,
            sharps: 3,
        },
        Key {
            tonic: 4,
            sharps: 4,
        },
        Key {
            tonic: 5,
            sharps: -1,
        },
        Key {
            tonic: 10,
            sharps: -2,
        },
        Key {
            tonic: 3,
            sharps: -3,
        },
        Key {
            tonic: 8,
            sharps: -4,
        },
    ];
}

/// The key signature from `tick` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyChange {
    pub tick: u32,
    pub key: Key,
}

/// A section heading of the story, at the tick where its music starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionMark {
    pub tick: u32,
    pub title: String,
}

/// Where one input beat sounds: `start..end` in ticks (`start == end` for silent beats).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeatSpan {
    pub start: u32,
    pub end: u32,
}

/// The single source of the three files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// The story's title (LilyPond header, MIDI sequence name, Csound comment).
    pub title: String,
    /// MIDI division; a multiple of 32 so the grid is a whole number of ticks.
    pub ticks_per_quarter: u16,
    /// Quarter notes per minute; divides 60,000,000 so the MIDI tempo is exact.
    pub tempo_bpm: u16,
    /// Character tracks in voice order, then the accompaniment.
    pub tracks: Vec<Track>,
    /// Key signatures, sorted by tick; the first is at tick 0.
    pub keys: Vec<KeyChange>,
    /// Section headings, sorted by tick.
    pub sections: Vec<SectionMark>,
    /// One span per input beat, in input order.
    pub beats: Vec<BeatSpan>,
    /// Length of the score in ticks: a whole number of bars, at least one.
    pub end: u32,
}

impl Score {
    /// The smallest time step: a 128th note.
    pub fn grid(&self) -> u32 {
        u32::from(self.ticks_per_quarter) / 32
    }

    /// Ticks per 4/4 bar.
    pub fn bar(&self) -> u32 {
        u32::from(self.ticks_per_quarter) * BEATS_PER_BAR
    }

    /// Number of notes over all tracks.
    pub fn note_count(&self) -> usize {
        self.tracks.iter().map(|track| track.notes.len()).sum()
    }

    /// Checks every invariant the writers rely on; each writer calls it first.
    pub fn validate(&self) -> Result<(), Error> {
        let invalid = |reason: String| Err(Error::InvalidScore { reason });
        let tpq = u32::from(self.ticks_per_quarter);
        if tpq == 0 || tpq % 32 != 0 {
            return invalid(format!(
                "ticks per quarter {tpq} is not a positive multiple of 32"
            ));
        }
        if !(20..=400).contains(&self.tempo_bpm) || 60_000_000 % u32::from(self.tempo_bpm) != 0 {
            return invalid(format!(
                "tempo {} is outside 20..=400 or does not divide a minute into whole microseconds",
                self.tempo_bpm
            ));
        }
        let grid = self.grid();
        let bar = self.bar();
        if self.end == 0 || !self.end.is_multiple_of(bar) || self.end > MAX_TICKS {
            return invalid(format!(
                "end {} is not a whole, positive number of bars below {MAX_TICKS} ticks",
                self.end
            ));
        }
        if self.tracks.is_empty() || self.tracks.len() >= usize::from(u16::MAX) {
            return invalid(format!("{} tracks", self.tracks.len()));
        }
        match self.keys.first() {
            Some(first) if first.tick == 0 => {}
            _ => return invalid("the first key signature is not at tick 0".into()),
        }
        fn ordered(ticks: impl Iterator<Item = u32>, end: u32, grid: u32) -> bool {
            let mut ticks = ticks;
            let mut last = 0;
            ticks.all(|tick| {
                let ok = tick >= last && tick <= end && tick % grid == 0;
                last = tick;
                ok
            })
        }
        if !ordered(self.keys.iter().map(|change| change.tick), self.end, grid) {
            return invalid("key signatures are not sorted on the grid within the score".into());
        }
        if !ordered(self.sections.iter().map(|mark| mark.tick), self.end, grid) {
            return invalid("section marks are not sorted on the grid within the score".into());
        }
        for (index, track) in self.tracks.iter().enumerate() {
            if track.channel > 15 || track.program > 127 {
                return invalid(format!("track {index}: channel or program out of range"));
            }
            let mut chord: Option<(u32, u32, u8)> = None; // start, duration, last pitch
            let mut free_from = 0u32;
            for note in &track.notes {
                let end = note.start.checked_add(note.duration);
                if note.duration == 0
                    || note.start % grid != 0
                    || note.duration % grid != 0
                    || end.is_none_or(|end| end > self.end)
                    || note.pitch > 127
                    || !(1..=127).contains(&note.velocity)
                {
                    return invalid(format!("track {index}: note {note:?} is malformed"));
                }
                match chord {
                    Some((start, duration, pitch)) if start == note.start => {
                        if duration != note.duration || note.pitch <= pitch {
                            return invalid(format!(
                                "track {index}: chord at {start} mixes durations or is not sorted by pitch"
                            ));
                        }
                    }
                    _ => {
                        if note.start < free_from {
                            return invalid(format!(
                                "track {index}: note at {} overlaps the previous chord",
                                note.start
                            ));
                        }
                        free_from = note.start + note.duration;
                    }
                }
                chord = Some((note.start, note.duration, note.pitch));
            }
        }
        Ok(())
    }
}

/// Notes grouped into chords: `(start, duration, pitches)` in order.
pub(crate) fn chords(notes: &[Note]) -> impl Iterator<Item = (u32, u32, &[Note])> {
    notes
        .chunk_by(|a, b| a.start == b.start)
        .map(|group| (group[0].start, group[0].duration, group))
}
