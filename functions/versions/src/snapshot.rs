//! A snapshot: a script's content items as they were, kept raw, so a restore writes back
//! exactly what was there (paraphrases and name reservations included), plus the typed
//! reading of it that versions show and compare.

use std::collections::{HashMap, HashSet};

use fountain_characters::Character;
use fountain_scripts::Script;
use fountain_store::keys::ContentKind;
use fountain_store::{Item, StoreError, from_item, string_attribute, to_item};
use fountain_structure::{Element, ElementView, Section, SectionView};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::Counts;

/// Bumped when the layout of `items` changes; older formats must stay readable.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    /// Every content item, as JSON (numbers stay numbers, so they go back as numbers).
    pub items: Vec<Value>,
}

fn sk_of(value: &Value) -> &str {
    value.get("sk").and_then(Value::as_str).unwrap_or_default()
}

fn kind_of(item: &Item) -> Option<ContentKind<'_>> {
    string_attribute(item, "sk").and_then(ContentKind::of)
}

impl Snapshot {
    /// The snapshot of these content items, without the leftovers of removed sections
    /// (their elements and element order are hidden, and purged later).
    pub fn of(items: Vec<Item>) -> Result<Self, StoreError> {
        let sections: HashSet<String> = items
            .iter()
            .filter_map(|item| match kind_of(item)? {
                ContentKind::Section(id) => Some(id.to_owned()),
                _ => None,
            })
            .collect();
        let kept = items.into_iter().filter(|item| match kind_of(item) {
            Some(ContentKind::Element(_)) => {
                string_attribute(item, "sectionId").is_some_and(|id| sections.contains(id))
            }
            Some(ContentKind::ElementOrder(section)) => sections.contains(section),
            _ => true,
        });
        Ok(Self {
            format: FORMAT,
            items: kept.map(from_item).collect::<Result<_, _>>()?,
        })
    }

    /// The items to write back.
    pub fn to_items(&self) -> Result<Vec<Item>, StoreError> {
        self.items.iter().map(to_item).collect()
    }

    /// The script item alone, without decoding the rest.
    pub fn script(&self) -> Result<Script, StoreError> {
        let value = self
            .items
            .iter()
            .find(|value| sk_of(value) == Script::SK)
            .ok_or_else(|| StoreError::Corrupt("snapshot without script".into()))?;
        Script::deserialize(value).map_err(|e| StoreError::Corrupt(format!("snapshot script: {e}")))
    }

    /// The typed reading: script, characters, sections and elements in order.
    pub fn contents(&self) -> Result<Contents, StoreError> {
        let mut characters = Vec::new();
        let mut sections = Vec::new();
        let mut elements = Vec::new();
        let mut paraphrases = 0;
        for value in &self.items {
            let decode = |what| {
                move |e: serde_json::Error| StoreError::Corrupt(format!("snapshot {what}: {e}"))
            };
            match ContentKind::of(sk_of(value)) {
                Some(ContentKind::Character(_)) => {
                    characters.push(Character::deserialize(value).map_err(decode("character"))?);
                }
                Some(ContentKind::Section(_)) => {
                    sections.push(Section::deserialize(value).map_err(decode("section"))?);
                }
                Some(ContentKind::Element(_)) => {
                    elements.push(Element::deserialize(value).map_err(decode("element"))?);
                }
                Some(ContentKind::Paraphrase(_)) => paraphrases += 1,
                _ => {}
            }
        }
        let script = self.script()?;
        sections.sort_by(|a, b| a.order_key.cmp(&b.order_key));
        let rank: HashMap<&str, usize> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.section_id.as_str(), i))
            .collect();
        elements.retain(|e| rank.contains_key(e.section_id.as_str()));
        elements.sort_by(|a, b| {
            (rank[a.section_id.as_str()], &a.order_key)
                .cmp(&(rank[b.section_id.as_str()], &b.order_key))
        });
        Ok(Contents {
            script,
            characters,
            sections,
            elements,
            paraphrases,
        })
    }
}

/// A snapshot read as the API shows a script: sections in order, elements in script order
/// (by section, then within it).
#[derive(Debug, Clone)]
pub struct Contents {
    pub script: Script,
    pub characters: Vec<Character>,
    pub sections: Vec<Section>,
    pub elements: Vec<Element>,
    pub paraphrases: usize,
}

impl Contents {
    pub fn counts(&self) -> Counts {
        Counts {
            characters: self.characters.len(),
            sections: self.sections.len(),
            elements: self.elements.len(),
            paraphrases: self.paraphrases,
        }
    }

    pub fn section_views(&self) -> Vec<SectionView> {
        self.sections
            .iter()
            .enumerate()
            .map(|(i, section)| section.view(i + 1))
            .collect()
    }

    /// Every element's view, with its sequence number within its section.
    pub fn element_views(&self) -> Vec<ElementView> {
        let mut views = Vec::with_capacity(self.elements.len());
        let mut sequence = 0;
        let mut section: Option<&str> = None;
        for element in &self.elements {
            if section != Some(element.section_id.as_str()) {
                section = Some(element.section_id.as_str());
                sequence = 0;
            }
            sequence += 1;
            views.push(element.view(sequence));
        }
        views
    }
}
