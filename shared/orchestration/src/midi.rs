//! `score.mid`: a format 1 Standard MIDI File.
//!
//! Track 0 is the conductor track (sequence name, tempo, 4/4, key signatures, section markers);
//! track `1 + i` plays score track `i`: its name, a program change, then a note-on and a
//! note-off per note. Every track ends with an end-of-track event at the score's end.

use midly::num::{u4, u7, u15, u24, u28};
use midly::{Format, Header, MetaMessage, MidiMessage, Smf, Timing, TrackEvent, TrackEventKind};

use crate::Error;
use crate::score::{Score, Track};

/// Renders the score as a Standard MIDI File.
pub fn write(score: &Score) -> Result<Vec<u8>, Error> {
    score.validate()?;
    let timing = u15::try_from(score.ticks_per_quarter).ok_or_else(|| Error::InvalidScore {
        reason: "ticks per quarter does not fit a MIDI division".into(),
    })?;
    let mut smf = Smf::new(Header::new(Format::Parallel, Timing::Metrical(timing)));
    smf.tracks.push(conductor(score)?);
    for track in &score.tracks {
        smf.tracks.push(notes(score, track)?);
    }
    let mut out = Vec::with_capacity(8 * score.note_count() + 256);
    smf.write_std(&mut out)
        .map_err(|error| Error::InvalidScore {
            reason: format!("MIDI writer: {error}"),
        })?;
    Ok(out)
}

/// Absolute-time events, turned into delta times in order.
struct Timed<'a> {
    events: Vec<(u32, TrackEventKind<'a>)>,
}

impl<'a> Timed<'a> {
    fn into_track(self, end: u32) -> Result<Vec<TrackEvent<'a>>, Error> {
        let mut track = Vec::with_capacity(self.events.len() + 1);
        let mut last = 0;
        let end_of_track = (end, TrackEventKind::Meta(MetaMessage::EndOfTrack));
        for (tick, kind) in self.events.into_iter().chain([end_of_track]) {
            let delta = tick
                .checked_sub(last)
                .and_then(u28::try_from)
                .ok_or_else(|| Error::InvalidScore {
                    reason: format!("MIDI events out of order or too far apart at tick {tick}"),
                })?;
            track.push(TrackEvent { delta, kind });
            last = tick;
        }
        Ok(track)
    }
}

fn meta(tick: u32, message: MetaMessage<'_>) -> (u32, TrackEventKind<'_>) {
    (tick, TrackEventKind::Meta(message))
}

fn conductor(score: &Score) -> Result<Vec<TrackEvent<'_>>, Error> {
    let tempo = 60_000_000 / u32::from(score.tempo_bpm);
    let mut events = vec![
        meta(0, MetaMessage::TrackName(score.title.as_bytes())),
        meta(0, MetaMessage::Tempo(u24::new(tempo))),
        // 4/4, a metronome click every quarter (24 MIDI clocks), 8 32nds per quarter.
        meta(0, MetaMessage::TimeSignature(4, 2, 24, 8)),
    ];
    let mut sections = score.sections.iter().peekable();
    for change in &score.keys {
        while let Some(mark) = sections.next_if(|mark| mark.tick < change.tick) {
            events.push(meta(mark.tick, MetaMessage::Marker(mark.title.as_bytes())));
        }
        events.push(meta(
            change.tick,
            MetaMessage::KeySignature(change.key.sharps, false),
        ));
    }
    for mark in sections {
        events.push(meta(mark.tick, MetaMessage::Marker(mark.title.as_bytes())));
    }
    Timed { events }.into_track(score.end)
}

fn notes<'a>(score: &Score, track: &'a Track) -> Result<Vec<TrackEvent<'a>>, Error> {
    let channel = u4::new(track.channel);
    let mut events = Vec::with_capacity(2 * track.notes.len() + 2);
    events.push(meta(0, MetaMessage::TrackName(track.name.as_bytes())));
    events.push((
        0,
        TrackEventKind::Midi {
            channel,
            message: MidiMessage::ProgramChange {
                program: u7::new(track.program),
            },
        },
    ));
    // (tick, 0 = off before 1 = on at the same tick, pitch): a repeated key is released
    // before it is struck again.
    let mut changes: Vec<(u32, u8, u8, u8)> = Vec::with_capacity(2 * track.notes.len());
    for note in &track.notes {
        changes.push((note.start, 1, note.pitch, note.velocity));
        changes.push((note.start + note.duration, 0, note.pitch, 0));
    }
    changes.sort_unstable();
    events.extend(changes.into_iter().map(|(tick, on, pitch, velocity)| {
        let key = u7::new(pitch);
        let message = if on == 1 {
            MidiMessage::NoteOn {
                key,
                vel: u7::new(velocity),
            }
        } else {
            MidiMessage::NoteOff {
                key,
                vel: u7::new(64),
            }
        };
        (tick, TrackEventKind::Midi { channel, message })
    }));
    Timed { events }.into_track(score.end)
}
