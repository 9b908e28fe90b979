//! The assembled story as prose reads it ([`Manuscript`]): title, notes, cast and content,
//! without what prose must not depend on (the story's revision, when it was built), so a
//! rebuilt story with the same content is written the same.

use fountain_prose::Manuscript;
use fountain_prose::manuscript::{Character, Element, Note, Section};
use fountain_stories::{ContextNote, Story};

pub fn manuscript(story: &Story) -> Manuscript {
    Manuscript {
        title: story.title.clone(),
        author: story.author.clone(),
        description: story.description.clone(),
        context: notes(&story.context),
        characters: story
            .characters
            .iter()
            .map(|character| Character {
                character_id: character.character_id.clone(),
                name: character.name.clone(),
                description: character.description.clone(),
                context: notes(&character.context),
            })
            .collect(),
        sections: story
            .sections
            .iter()
            .map(|section| Section {
                title: section.title.clone(),
                elements: section
                    .elements
                    .iter()
                    .map(|element| Element {
                        element_id: element.element_id.clone(),
                        content: element.content.clone(),
                        character_name: element.character_name.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn notes(notes: &[ContextNote]) -> Vec<Note> {
    notes
        .iter()
        .map(|note| Note {
            key: note.key.clone(),
            value: note.value.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{TimeZone, Utc};
    use fountain_stories::{StoryCharacter, StoryElement, StorySection};
    use fountain_structure::{Content, ElementKind, Level};

    use super::*;

    fn note(key: &str, value: &str) -> ContextNote {
        ContextNote {
            key: key.into(),
            value: value.into(),
        }
    }

    fn story() -> Story {
        Story {
            script_id: "script-1".into(),
            title: "The Lighthouse".into(),
            author: Some("Ada Quill".into()),
            description: Some("A keeper, a storm.".into()),
            story_revision: 7,
            built_at: Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap(),
            element_count: 1,
            characters: vec![StoryCharacter {
                character_id: "char-mara".into(),
                name: "Mara".into(),
                description: Some("The keeper".into()),
                context: vec![note("mood", "restless")],
            }],
            sections: vec![StorySection {
                section_id: "sec-1".into(),
                level: Level::Scene,
                title: "INT. LIGHTHOUSE - NIGHT".into(),
                sequence: 1,
                elements: vec![StoryElement {
                    element_id: "el-1".into(),
                    sequence: 1,
                    content: Content {
                        kind: ElementKind::Dialogue,
                        text: "The lamp is out.".into(),
                        character_id: Some("char-mara".into()),
                        parenthetical: Some("(quietly)".into()),
                        extension: None,
                        dual: false,
                    },
                    character_name: Some("Mara".into()),
                }],
            }],
            context: vec![note("tone", "salt-worn")],
        }
    }

    #[test]
    fn carries_the_content_notes_and_cast() {
        let story = story();
        let manuscript = manuscript(&story);
        assert_eq!(manuscript.title, "The Lighthouse");
        assert_eq!(manuscript.author.as_deref(), Some("Ada Quill"));
        assert_eq!(
            manuscript.context,
            vec![Note {
                key: "tone".into(),
                value: "salt-worn".into()
            }]
        );
        assert_eq!(manuscript.characters[0].name, "Mara");
        assert_eq!(manuscript.characters[0].context[0].value, "restless");
        let element = &manuscript.sections[0].elements[0];
        assert_eq!(manuscript.sections[0].title, "INT. LIGHTHOUSE - NIGHT");
        assert_eq!(element.content, story.sections[0].elements[0].content);
        assert_eq!(element.character_name.as_deref(), Some("Mara"));
    }

    #[test]
    fn build_time_and_revision_change_nothing() {
        let story = story();
        let mut rebuilt = story.clone();
        rebuilt.built_at = Utc.with_ymd_and_hms(2031, 12, 31, 23, 59, 59).unwrap();
        rebuilt.story_revision = 98_765;
        assert_eq!(manuscript(&story), manuscript(&rebuilt));
    }
}
