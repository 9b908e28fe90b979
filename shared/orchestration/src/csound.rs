//! `score.csd`: a Csound unified file with a small orchestra and one `i` statement per note.
//!
//! `i <instr> <start> <duration> <pitch> <velocity> <track>`: instrument 1 plays the
//! leitmotifs, instrument 2 the accompaniment; start and duration are in quarter-note beats
//! (a `t` statement sets the tempo), written exactly (a grid tick is 1/32 beat, so at most
//! five decimals); pitch is the MIDI key, velocity the MIDI velocity, track the score track.

use std::fmt::Write as _;

use crate::Error;
use crate::score::{Role, Score};

/// Instrument number of character tracks.
pub const LEITMOTIF_INSTRUMENT: u32 = 1;
/// Instrument number of the accompaniment.
pub const ACCOMPANIMENT_INSTRUMENT: u32 = 2;

const ORCHESTRA: &str = r#"sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

; A bright, reedy timbre for the leitmotifs and a soft one for the accompaniment.
giLead ftgen 0, 0, 8192, 10, 1, 0.5, 0.33, 0.25, 0.2, 0.12, 0.08
giPad ftgen 0, 0, 8192, 10, 1, 0.25, 0.1, 0.05

; p4 MIDI key, p5 MIDI velocity, p6 score track (spreads the characters across the stereo field)
instr 1
  iamp = 0.15 * p5 / 127
  ipan = frac(0.5 + p6 * 0.618034)
  kenv linen iamp, 0.02, p3, 0.08
  asig poscil kenv, cpsmidinn(p4), giLead
  outs asig * sqrt(1 - ipan), asig * sqrt(ipan)
endin

instr 2
  iamp = 0.1 * p5 / 127
  kenv linen iamp, 0.01, p3, 0.2
  asig poscil kenv, cpsmidinn(p4), giPad
  outs asig, asig
endin
"#;

/// Renders the score as a Csound `.csd`.
pub fn write(score: &Score) -> Result<String, Error> {
    score.validate()?;
    let mut out = String::with_capacity(40 * score.note_count() + 4096);
    out.push_str("<CsoundSynthesizer>\n<CsOptions>\n-d -m0\n</CsOptions>\n<CsInstruments>\n");
    out.push_str(
        "; Written by fountain-orchestration: the same notes as score.ly and score.mid.\n",
    );
    let _ = writeln!(out, "; Title: {}", comment(&score.title));
    for (index, track) in score.tracks.iter().enumerate() {
        let _ = writeln!(
            out,
            "; Track {index}: {} (General MIDI program {})",
            comment(&track.name),
            track.program
        );
    }
    out.push('\n');
    out.push_str(ORCHESTRA);
    out.push_str("</CsInstruments>\n<CsScore>\n");
    let _ = writeln!(out, "t 0 {}", score.tempo_bpm);

    let mut notes: Vec<(u32, usize, u8, u32, u8)> = Vec::with_capacity(score.note_count());
    for (index, track) in score.tracks.iter().enumerate() {
        notes.extend(
            track
                .notes
                .iter()
                .map(|note| (note.start, index, note.pitch, note.duration, note.velocity)),
        );
    }
    notes.sort_unstable();

    let tpq = u32::from(score.ticks_per_quarter);
    let mut sections = score.sections.iter().peekable();
    for (start, index, pitch, duration, velocity) in notes {
        while let Some(mark) = sections.next_if(|mark| mark.tick <= start) {
            let _ = writeln!(
                out,
                "; Section at beat {}: {}",
                beats(mark.tick, tpq),
                comment(&mark.title)
            );
        }
        let instrument = match score.tracks.get(index).map(|track| track.role) {
            Some(Role::Accompaniment) => ACCOMPANIMENT_INSTRUMENT,
            _ => LEITMOTIF_INSTRUMENT,
        };
        let _ = writeln!(
            out,
            "i {instrument} {} {} {pitch} {velocity} {index}",
            beats(start, tpq),
            beats(duration, tpq)
        );
    }
    out.push_str("e\n</CsScore>\n</CsoundSynthesizer>\n");
    Ok(out)
}

/// `ticks` as an exact decimal number of beats. Exact when `ticks` is a multiple of
/// `ticks_per_quarter / 32`, which [`Score::validate`] guarantees.
pub fn beats(ticks: u32, ticks_per_quarter: u32) -> String {
    let whole = ticks / ticks_per_quarter;
    let rest = u64::from(ticks % ticks_per_quarter);
    if rest == 0 {
        return whole.to_string();
    }
    // rest / tpq = k / 32 for some k, and 1/32 = 0.03125.
    let fraction = rest * 100_000 / u64::from(ticks_per_quarter);
    let digits = format!("{fraction:05}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// `text` made safe for a `;` comment: printable ASCII letters, digits and plain punctuation
/// stay; everything else (newlines, backslashes, quotes, `/*`, macros' `$`, non-ASCII...)
/// becomes `<U+XXXX>`.
pub fn comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || " -_.,:!?'()&+=".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beats_are_exact_decimals() {
        assert_eq!(beats(0, 480), "0");
        assert_eq!(beats(1920, 480), "4");
        assert_eq!(beats(240, 480), "0.5");
        assert_eq!(beats(720, 480), "1.5");
        assert_eq!(beats(15, 480), "0.03125");
        assert_eq!(beats(4800 + 45, 480), "10.09375");
    }

    #[test]
    fn comments_keep_only_harmless_characters() {
        assert_eq!(comment("ALICE (V.O.)"), "ALICE (V.O.)");
        assert_eq!(comment("a\nb"), "a<U+000A>b");
        assert_eq!(comment("end\\"), "end<U+005C>");
        assert_eq!(comment("/* x */"), "<U+002F><U+002A> x <U+002A><U+002F>");
        assert_eq!(comment("$MACRO \"q\""), "<U+0024>MACRO <U+0022>q<U+0022>");
        assert_eq!(comment("Zoë"), "Zo<U+00EB>");
        assert_eq!(comment("🎻"), "<U+1F3BB>");
        assert!(!comment("\r\n;\\\"{}#").contains(['\r', '\n', ';', '\\', '"', '#']));
    }
}
