//! Leitmotifs: a short diatonic phrase, a rhythm and an instrument per character name.
//!
//! The motif is a pure function of the case-folded name through SHA-256, so the same character
//! gets the same motif in every story, on every machine, in every version of Rust.

use sha2::{Digest, Sha256};

/// Semitones above the tonic of each degree of the major scale.
const MAJOR_SCALE: [i32; 7] = [0, 2, 4, 5, 7, 9, 11];

/// One-bar rhythms, in eighth notes (each sums to 8). Every value is a plain or dotted note
/// value (1, 2, 3, 4, 6 eighths), so a motif never needs a tie.
const RHYTHMS: [&[u8]; 16] = [
    &[2, 2, 2, 2],
    &[3, 1, 2, 2],
    &[2, 1, 1, 2, 2],
    &[1, 1, 2, 2, 2],
    &[2, 2, 1, 1, 2],
    &[3, 1, 3, 1],
    &[2, 1, 1, 1, 1, 2],
    &[4, 2, 2],
    &[2, 2, 4],
    &[1, 1, 1, 1, 4],
    &[3, 1, 4],
    &[2, 1, 1, 4],
    &[6, 1, 1],
    &[1, 1, 1, 1, 2, 2],
    &[3, 3, 2],
    &[2, 3, 1, 2],
];

/// Where a motif may start, in scale degrees: tonic, mediant, dominant, the dominant below.
const STARTS: [i8; 6] = [0, 2, 4, 4, 0, -3];

/// Melodic steps in scale degrees: mostly steps, some thirds, the odd fourth, fifth or repeat.
const STEPS: [i8; 16] = [1, 1, 1, 1, -1, -1, -1, -1, 2, -2, 2, -2, 3, -3, 4, 0];

/// Lowest and highest degree a motif may reach (relative to the tonic of its register).
const RANGE: (i8, i8) = (-4, 9);

/// A General MIDI instrument and the octave its motifs sit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instrument {
    /// General MIDI program, 0-based.
    pub program: u8,
    /// English name, for comments.
    pub name: &'static str,
    /// Octave of the tonic the motif is built on (4 is the octave of middle C).
    pub octave: i8,
}

const INSTRUMENTS: [Instrument; 16] = [
    Instrument {
        program: 73,
        name: "Flute",
        octave: 5,
    },
    Instrument {
        program: 68,
        name: "Oboe",
        octave: 5,
    },
    Instrument {
        program: 71,
        name: "Clarinet",
        octave: 4,
    },
    Instrument {
        program: 70,
        name: "Bassoon",
        octave: 3,
    },
    Instrument {
        program: 60,
        name: "French Horn",
        octave: 4,
    },
    Instrument {
        program: 56,
        name: "Trumpet",
        octave: 4,
    },
    Instrument {
        program: 40,
        name: "Violin",
        octave: 5,
    },
    Instrument {
        program: 41,
        name: "Viola",
        octave: 4,
    },
    Instrument {
        program: 42,
        name: "Cello",
        octave: 3,
    },
    Instrument {
        program: 46,
        name: "Harp",
        octave: 4,
    },
    Instrument {
        program: 11,
        name: "Vibraphone",
        octave: 5,
    },
    Instrument {
        program: 12,
        name: "Marimba",
        octave: 4,
    },
    Instrument {
        program: 57,
        name: "Trombone",
        octave: 3,
    },
    Instrument {
        program: 69,
        name: "English Horn",
        octave: 4,
    },
    Instrument {
        program: 24,
        name: "Nylon Guitar",
        octave: 4,
    },
    Instrument {
        program: 74,
        name: "Recorder",
        octave: 5,
    },
];

/// A character's leitmotif: scale degrees over a one-bar rhythm, played by an instrument.
///
/// Degrees are relative to the tonic of whatever key the story is in (0 = tonic, 7 = the
/// octave above), so a motif keeps its shape through a section's modulation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Motif {
    /// One scale degree per note.
    pub degrees: Vec<i8>,
    /// One duration per note, in eighth notes; sums to one bar (8).
    pub rhythm: Vec<u8>,
    /// Who plays it, and in which octave.
    pub instrument: Instrument,
}

/// The name as the motif sees it: surrounding and repeated whitespace dropped, lower-cased.
pub fn fold_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// 32 stable bytes for `text` under a purpose label.
pub(crate) fn stable_hash(purpose: &str, text: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"fountain-orchestration/");
    hasher.update(purpose.as_bytes());
    hasher.update([0]);
    hasher.update(text.as_bytes());
    hasher.finalize().into()
}

impl Motif {
    /// The motif of the character called `name` (compared case-insensitively).
    pub fn for_name(name: &str) -> Motif {
        let h = stable_hash("motif/v1", &fold_name(name));
        let rhythm = RHYTHMS[usize::from(h[0]) % RHYTHMS.len()].to_vec();
        let mut degree = STARTS[usize::from(h[1]) % STARTS.len()];
        let mut degrees = Vec::with_capacity(rhythm.len());
        degrees.push(degree);
        for i in 1..rhythm.len() {
            let step = STEPS[usize::from(h[1 + i]) % STEPS.len()];
            let next = degree + step;
            // Reflect off the edges of the range instead of clamping, so the line keeps moving.
            degree = if (RANGE.0..=RANGE.1).contains(&next) {
                next
            } else {
                degree - step
            };
            degrees.push(degree);
        }
        // End on a note of the tonic chord (degree 0, 2 or 4 of any octave): the motif closes.
        if let Some(last) = degrees.last_mut() {
            *last = resolve_to_chord_tone(*last, h[16].is_multiple_of(2));
        }
        let instrument = INSTRUMENTS[usize::from(h[17]) % INSTRUMENTS.len()];
        Motif {
            degrees,
            rhythm,
            instrument,
        }
    }

    /// The same shape a `steps` degrees higher (a sequence).
    pub fn sequence(&self, steps: i8) -> Motif {
        Motif {
            degrees: self.degrees.iter().map(|d| d + steps).collect(),
            ..self.clone()
        }
    }

    /// The shape mirrored around its first note.
    pub fn inversion(&self) -> Motif {
        let first = self.degrees.first().copied().unwrap_or(0);
        Motif {
            degrees: self
                .degrees
                .iter()
                .map(|d| (2 * first - d).clamp(-7, 14))
                .collect(),
            ..self.clone()
        }
    }

    /// Notes and rhythm backwards.
    pub fn retrograde(&self) -> Motif {
        Motif {
            degrees: self.degrees.iter().rev().copied().collect(),
            rhythm: self.rhythm.iter().rev().copied().collect(),
            instrument: self.instrument,
        }
    }
}

fn is_chord_tone(degree: i8) -> bool {
    matches!(degree.rem_euclid(7), 0 | 2 | 4)
}

fn resolve_to_chord_tone(degree: i8, prefer_down: bool) -> i8 {
    if is_chord_tone(degree) {
        return degree;
    }
    let (first, second) = if prefer_down {
        (degree - 1, degree + 1)
    } else {
        (degree + 1, degree - 1)
    };
    if is_chord_tone(first) { first } else { second }
}

/// MIDI pitch of scale `degree` of `key_tonic` (a pitch class) in `octave` (4 = middle C's).
///
/// Tonics above F# are taken from the octave below so every key sits in the same register.
pub(crate) fn pitch(key_tonic: u8, octave: i8, degree: i32) -> u8 {
    let tonic = i32::from(key_tonic);
    let tonic = if tonic > 6 { tonic - 12 } else { tonic };
    let semitones = 12 * degree.div_euclid(7) + MAJOR_SCALE[degree.rem_euclid(7) as usize];
    let midi = 12 * (i32::from(octave) + 1) + tonic + semitones;
    midi.clamp(0, 127) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_name_in_any_case_and_spacing_gets_the_same_motif() {
        let motif = Motif::for_name("Mary Jane");
        assert_eq!(motif, Motif::for_name("MARY JANE"));
        assert_eq!(motif, Motif::for_name("  mary   jane "));
        assert_eq!(motif, Motif::for_name("mArY jAnE"));
        // Unicode case folding too.
        assert_eq!(Motif::for_name("ZOË"), Motif::for_name("zoë"));
    }

    #[test]
    fn the_motif_of_a_name_is_pinned_so_it_never_changes_between_releases() {
        // If this fails, every published score changes its leitmotifs: bump "motif/v1" only
        // on purpose.
        let motif = Motif::for_name("Alice");
        assert_eq!(motif.degrees, vec![0, 1, 1, 0]);
        assert_eq!(motif.rhythm, vec![3, 1, 2, 2]);
        assert_eq!(motif.instrument.name, "Harp");
    }

    #[test]
    fn different_names_get_different_motifs() {
        let names = [
            "ALICE", "BOB", "CAROL", "DAVE", "EVE", "FRANK", "GRACE", "HEIDI", "IVAN", "JUDY",
            "MALLORY", "NIAJ", "OLIVIA", "PEGGY", "RUPERT", "SYBIL", "TRENT", "VICTOR", "WALTER",
            "HAMLET", "OPHELIA", "HORATIO", "GERTRUDE", "CLAUDIUS", "POLONIUS", "LAERTES", "ROMEO",
            "JULIET", "MERCUTIO", "TYBALT",
        ];
        let motifs: Vec<Motif> = names.iter().map(|name| Motif::for_name(name)).collect();
        for (i, a) in motifs.iter().enumerate() {
            for (j, b) in motifs.iter().enumerate().skip(i + 1) {
                assert_ne!(
                    (&a.degrees, &a.rhythm),
                    (&b.degrees, &b.rhythm),
                    "{} and {} share a motif",
                    names[i],
                    names[j]
                );
            }
        }
    }

    #[test]
    fn every_motif_fills_one_bar_and_ends_on_the_tonic_chord() {
        for name in ["A", "B", "C", "Zoë", "", "  ", "\"\\\n", "名前"] {
            let motif = Motif::for_name(name);
            assert_eq!(motif.degrees.len(), motif.rhythm.len());
            assert!(motif.degrees.len() >= 3);
            assert_eq!(motif.rhythm.iter().map(|&r| u32::from(r)).sum::<u32>(), 8);
            let last = motif.degrees.last().copied().unwrap_or(1);
            assert!(is_chord_tone(last), "{name:?}: {motif:?}");
            assert!(
                motif
                    .degrees
                    .iter()
                    .all(|d| (RANGE.0 - 1..=RANGE.1 + 1).contains(d))
            );
        }
    }

    #[test]
    fn variations_keep_the_rhythm_length_and_transform_the_degrees() {
        let motif = Motif {
            degrees: vec![0, 1, 2, 4],
            rhythm: vec![2, 1, 1, 4],
            instrument: INSTRUMENTS[0],
        };
        assert_eq!(motif.sequence(1).degrees, vec![1, 2, 3, 5]);
        assert_eq!(motif.inversion().degrees, vec![0, -1, -2, -4]);
        let retro = motif.retrograde();
        assert_eq!(retro.degrees, vec![4, 2, 1, 0]);
        assert_eq!(retro.rhythm, vec![4, 1, 1, 2]);
    }

    #[test]
    fn pitches_follow_the_major_scale_in_the_key() {
        // C major, octave 4: C4 D4 E4 F4 G4 A4 B4 C5.
        let c: Vec<u8> = (0..8).map(|d| pitch(0, 4, d)).collect();
        assert_eq!(c, vec![60, 62, 64, 65, 67, 69, 71, 72]);
        // G major sits below: G3 A3 B3 C4 D4 E4 F#4.
        let g: Vec<u8> = (0..7).map(|d| pitch(7, 4, d)).collect();
        assert_eq!(g, vec![55, 57, 59, 60, 62, 64, 66]);
        assert_eq!(pitch(0, 4, -1), 59);
        assert_eq!(pitch(0, 4, -7), 48);
    }
}
