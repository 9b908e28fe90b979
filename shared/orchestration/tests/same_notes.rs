//! The three files describe the same notes: each is read back (MIDI by midly with its
//! `strict` feature, LilyPond and Csound by the crate's extractors) and compared with the
//! score, note for note.

mod common;

use std::time::Instant;

use fountain_orchestration::extract::{self, TrackNote};
use fountain_orchestration::{Error, Score, orchestrate};

fn assert_same_notes(score: &Score) -> Result<(), Box<dyn std::error::Error>> {
    let files = score.render()?;
    let tpq = score.ticks_per_quarter;
    let expected = extract::score_notes(score);
    assert!(!expected.is_empty());

    let midi = extract::midi(&files.midi, tpq)?;
    assert_eq!(midi.len(), expected.len(), "MIDI note count");
    assert_eq!(midi, expected, "MIDI notes (with velocities)");

    let csound = extract::csound(&files.csound, tpq)?;
    assert_eq!(csound, expected, "Csound notes (with velocities)");

    let lilypond = extract::lilypond(&files.lilypond, tpq)?;
    assert_eq!(
        lilypond,
        extract::without_velocity(&expected),
        "LilyPond notes"
    );
    Ok(())
}

#[test]
fn a_small_story_has_the_same_notes_in_all_three_files() -> Result<(), Box<dyn std::error::Error>> {
    let (voices, beats) = common::small_story();
    let score = orchestrate("Breakfast \"in\" the Rain", &voices, &beats)?;
    assert_same_notes(&score)
}

#[test]
fn notes_that_cross_bar_lines_and_odd_lengths_survive_as_tied_notes()
-> Result<(), Box<dyn std::error::Error>> {
    // Hand-made score: a note over three bar lines, a 5/128 note, a chord tied across a key
    // change, and notes on the 128th grid.
    let (voices, beats) = common::small_story();
    let mut score = orchestrate("T", &voices, &beats)?;
    let end = score.end;
    let bar = score.bar();
    let track = &mut score.tracks[0].notes;
    track.clear();
    track.push(note(15, 75, 61));
    track.push(note(90, 3 * bar + 45, 70));
    for pitch in [50, 53, 57] {
        track.push(note(4 * bar, 2 * bar + 15, pitch));
    }
    track.push(note(end - 15, 15, 127));
    score.keys.push(fountain_orchestration::KeyChange {
        tick: 5 * bar + 480,
        key: fountain_orchestration::Key::MAJOR[6],
    });
    score.keys.sort_by_key(|change| change.tick);
    score.validate()?;
    assert_same_notes(&score)
}

fn note(start: u32, duration: u32, pitch: u8) -> fountain_orchestration::Note {
    fountain_orchestration::Note {
        start,
        duration,
        pitch,
        velocity: 100,
    }
}

#[test]
fn a_ten_thousand_element_story_renders_quickly_with_the_same_notes()
-> Result<(), Box<dyn std::error::Error>> {
    let (voices, texts, kinds) = common::long_story(10_000);
    let beats = common::long_beats(&texts, &kinds);
    let started = Instant::now();
    let score = orchestrate("Feature", &voices, &beats)?;
    let files = score.render()?;
    let elapsed = started.elapsed();
    let sizes = (files.lilypond.len(), files.midi.len(), files.csound.len());
    eprintln!(
        "10,000 elements: {} notes, {} bars, {sizes:?} bytes (ly, mid, csd), in {elapsed:?}",
        score.note_count(),
        score.end / score.bar(),
    );
    // Generous for an unoptimised build on a busy machine; the optimised build takes a
    // fraction of a second.
    assert!(elapsed.as_secs() < 20, "took {elapsed:?}");
    assert!(sizes.0 < 32 << 20 && sizes.1 < 32 << 20 && sizes.2 < 32 << 20);
    assert_eq!(score.beats.len(), 10_000);
    assert_same_notes(&score)
}

#[test]
fn a_score_that_breaks_an_invariant_is_not_written() -> Result<(), Error> {
    let (voices, beats) = common::small_story();
    let mut score = orchestrate("T", &voices, &beats)?;
    score.tracks[0].notes[0].duration = 7; // off the 128th-note grid
    assert!(matches!(score.render(), Err(Error::InvalidScore { .. })));
    let mut score = orchestrate("T", &voices, &beats)?;
    let first = score.tracks[0].notes[0];
    score.tracks[0].notes.insert(
        1,
        fountain_orchestration::Note {
            start: first.start + 15,
            ..first
        },
    ); // overlaps within a track
    assert!(matches!(score.render(), Err(Error::InvalidScore { .. })));
    Ok(())
}

#[test]
fn extractors_reject_files_that_do_not_match() -> Result<(), Box<dyn std::error::Error>> {
    let (voices, beats) = common::small_story();
    let files = orchestrate("T", &voices, &beats)?.render()?;
    // A truncated MIDI file fails the strict parse.
    assert!(extract::midi(&files.midi[..files.midi.len() - 3], 480).is_err());
    // A shifted LilyPond note breaks a bar check.
    let shifted = files.lilypond.replacen("R1 ", "R1 r8 ", 1);
    assert!(extract::lilypond(&shifted, 480).is_err());
    // A changed Csound note is a different note list.
    let expected: Vec<TrackNote> = extract::csound(&files.csound, 480)?;
    let changed = files.csound.replacen("i 2 0 1 ", "i 2 0 2 ", 1);
    assert_ne!(extract::csound(&changed, 480)?, expected);
    Ok(())
}
