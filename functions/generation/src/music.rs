//! The story as the orchestration library hears it: its characters as voices (in the
//! story's order) and its elements as beats, in reading order, with each section's start.

use std::collections::HashMap;

use fountain_orchestration::{Beat, CSOUND_FILE, LILYPOND_FILE, MIDI_FILE, Voice, orchestrate};
use fountain_stories::Story;
use fountain_structure::ElementKind;

use crate::outputs::OutputFile;

/// The beats of `story` over `voices`, one per element plus one per section start.
pub fn beats<'a>(story: &'a Story, voices: &HashMap<&'a str, usize>) -> Vec<Beat<'a>> {
    let mut beats = Vec::with_capacity(story.element_count + story.sections.len());
    for section in &story.sections {
        beats.push(Beat::SectionStart {
            title: &section.title,
        });
        for element in &section.elements {
            let content = &element.content;
            let text = content.text.as_str();
            let voice = content
                .character_id
                .as_deref()
                .and_then(|id| voices.get(id).copied());
            beats.push(match (content.kind, voice) {
                (ElementKind::Dialogue, Some(voice)) => Beat::Line { voice, text },
                // A line whose character was deleted is heard as narration.
                (ElementKind::Dialogue, None) => Beat::Action { text },
                (ElementKind::Action | ElementKind::Centered, _) => Beat::Action { text },
                (ElementKind::Transition, _) => Beat::Transition { text },
                (ElementKind::Lyric, voice) => Beat::Lyric { voice, text },
                (
                    ElementKind::Note
                    | ElementKind::PageBreak
                    | ElementKind::Synopsis
                    | ElementKind::Boneyard,
                    _,
                ) => Beat::Other,
            });
        }
    }
    beats
}

/// score.ly, score.mid and score.csd of `story`.
pub fn files(story: &Story) -> Result<Vec<OutputFile>, fountain_orchestration::Error> {
    let voices: Vec<Voice> = story
        .characters
        .iter()
        .map(|c| Voice::new(c.character_id.as_str(), c.name.as_str()))
        .collect();
    let index: HashMap<&str, usize> = story
        .characters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.character_id.as_str(), i))
        .collect();
    let rendered = orchestrate(&story.title, &voices, &beats(story, &index))?.render()?;
    Ok(vec![
        OutputFile {
            name: LILYPOND_FILE,
            content_type: "text/x-lilypond; charset=utf-8",
            bytes: rendered.lilypond.into_bytes(),
        },
        OutputFile {
            name: MIDI_FILE,
            content_type: "audio/midi",
            bytes: rendered.midi,
        },
        OutputFile {
            name: CSOUND_FILE,
            content_type: "text/plain; charset=utf-8",
            bytes: rendered.csound.into_bytes(),
        },
    ])
}
