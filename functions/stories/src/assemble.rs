//! Building a story from the script's raw content items (one paginated Query), in memory:
//! sections by their order keys, each section's elements by theirs, dialogue joined to its
//! character by id.

use std::collections::HashMap;

use chrono::Utc;
use fountain_characters::Character;
use fountain_scripts::Script;
use fountain_store::keys::ContentKind;
use fountain_store::{Item, ItemCodec, StoreError, string_attribute};
use fountain_structure::{Element, Section};

use crate::model::{Story, StoryCharacter, StoryElement, StorySection};

/// The story the items tell, at `story_revision`. Elements of a removed section (awaiting
/// their purge) are left out, as every read leaves them out.
pub fn assemble(items: Vec<Item>, story_revision: u64) -> Result<Story, StoreError> {
    let mut script = None;
    let mut characters = Vec::new();
    let mut sections = Vec::new();
    let mut elements = Vec::new();
    for item in items {
        let kind = string_attribute(&item, "sk").and_then(ContentKind::of);
        match kind {
            Some(ContentKind::Script) => script = Some(Script::from_item(item)?),
            Some(ContentKind::Character(_)) => characters.push(Character::from_item(item)?),
            Some(ContentKind::Section(_)) => sections.push(Section::from_item(item)?),
            Some(ContentKind::Element(_)) => elements.push(Element::from_item(item)?),
            _ => {}
        }
    }
    let script = script.ok_or_else(|| StoreError::Corrupt("a story without its script".into()))?;
    sections.sort_by(|a, b| a.order_key.cmp(&b.order_key));
    characters.sort_by_cached_key(|c| c.name.to_lowercase());
    let names: HashMap<&str, &str> = characters
        .iter()
        .map(|c| (c.character_id.as_str(), c.name.as_str()))
        .collect();
    let mut by_section: HashMap<String, Vec<Element>> = HashMap::new();
    for element in elements {
        by_section
            .entry(element.section_id.clone())
            .or_default()
            .push(element);
    }
    let mut sequence = 0;
    let mut story_sections = Vec::with_capacity(sections.len());
    for (index, section) in sections.into_iter().enumerate() {
        let mut children = by_section.remove(&section.section_id).unwrap_or_default();
        children.sort_by(|a, b| a.order_key.cmp(&b.order_key));
        let elements = children
            .into_iter()
            .map(|element| {
                sequence += 1;
                let character_name = element
                    .content
                    .character_id
                    .as_deref()
                    .and_then(|id| names.get(id))
                    .map(|name| (*name).to_owned());
                StoryElement {
                    element_id: element.element_id,
                    sequence,
                    content: element.content,
                    character_name,
                }
            })
            .collect();
        story_sections.push(StorySection {
            section_id: section.section_id,
            level: section.level,
            title: section.title,
            sequence: index + 1,
            elements,
        });
    }
    Ok(Story {
        script_id: script.script_id,
        title: script.title,
        author: script.author,
        description: script.description,
        story_revision,
        built_at: Utc::now(),
        element_count: sequence,
        characters: characters
            .into_iter()
            .map(|c| StoryCharacter {
                character_id: c.character_id,
                name: c.name,
                description: c.description,
                context: Vec::new(),
            })
            .collect(),
        sections: story_sections,
        context: Vec::new(),
    })
}
