//! Comparing two versions, element by element: what was added, removed, changed (content)
//! and moved (to another section, or out of the longest run of elements that kept their
//! relative order: the fewest moves that explain the new order).

use std::collections::{HashMap, HashSet};

use fountain_sequence::longest_increasing;
use fountain_structure::{Content, ElementView, Level, SectionView};
use serde::Serialize;
use utoipa::ToSchema;

use crate::snapshot::Contents;

/// How `version_id` differs from `against`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionDiff {
    pub version_id: String,
    /// The version compared against (the "before").
    pub against: String,
    pub elements: ElementDiff,
    pub sections: SectionDiff,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ElementDiff {
    /// As they are in `versionId`.
    pub added: Vec<ElementView>,
    /// As they were in `against`.
    pub removed: Vec<ElementView>,
    pub changed: Vec<ChangedElement>,
    pub moved: Vec<MovedElement>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangedElement {
    pub element_id: String,
    pub before: Content,
    pub after: Content,
}

/// An element's place: its section and its sequence number there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Place {
    pub section_id: String,
    pub sequence: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MovedElement {
    pub element_id: String,
    pub from: Place,
    pub to: Place,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SectionDiff {
    pub added: Vec<SectionView>,
    pub removed: Vec<SectionView>,
    pub changed: Vec<ChangedSection>,
    pub moved: Vec<MovedSection>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Heading {
    pub level: Level,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangedSection {
    pub section_id: String,
    pub before: Heading,
    pub after: Heading,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MovedSection {
    pub section_id: String,
    pub from: usize,
    pub to: usize,
}

/// The ids present in both orders that keep their relative order: one longest run.
fn kept_in_order<'a>(before: &[&'a str], after: &[&'a str]) -> HashSet<&'a str> {
    let position: HashMap<&str, usize> =
        before.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let common: Vec<&str> = after
        .iter()
        .copied()
        .filter(|id| position.contains_key(id))
        .collect();
    let ranks: Vec<usize> = common.iter().map(|id| position[id]).collect();
    longest_increasing(&ranks)
        .into_iter()
        .map(|i| common[i])
        .collect()
}

pub fn diff(before: &Contents, after: &Contents) -> (ElementDiff, SectionDiff) {
    (elements(before, after), sections(before, after))
}

fn elements(before: &Contents, after: &Contents) -> ElementDiff {
    let old = before.element_views();
    let new = after.element_views();
    let old_by_id: HashMap<&str, &ElementView> =
        old.iter().map(|e| (e.element_id.as_str(), e)).collect();
    let new_ids: HashSet<&str> = new.iter().map(|e| e.element_id.as_str()).collect();
    let kept = kept_in_order(
        &old.iter()
            .map(|e| e.element_id.as_str())
            .collect::<Vec<_>>(),
        &new.iter()
            .map(|e| e.element_id.as_str())
            .collect::<Vec<_>>(),
    );
    let mut diff = ElementDiff {
        removed: old
            .iter()
            .filter(|e| !new_ids.contains(e.element_id.as_str()))
            .cloned()
            .collect(),
        ..ElementDiff::default()
    };
    for element in &new {
        let Some(was) = old_by_id.get(element.element_id.as_str()) else {
            diff.added.push(element.clone());
            continue;
        };
        if was.content != element.content {
            diff.changed.push(ChangedElement {
                element_id: element.element_id.clone(),
                before: was.content.clone(),
                after: element.content.clone(),
            });
        }
        if was.section_id != element.section_id || !kept.contains(element.element_id.as_str()) {
            diff.moved.push(MovedElement {
                element_id: element.element_id.clone(),
                from: Place {
                    section_id: was.section_id.clone(),
                    sequence: was.sequence,
                },
                to: Place {
                    section_id: element.section_id.clone(),
                    sequence: element.sequence,
                },
            });
        }
    }
    diff
}

fn sections(before: &Contents, after: &Contents) -> SectionDiff {
    let old = before.section_views();
    let new = after.section_views();
    let old_by_id: HashMap<&str, &SectionView> =
        old.iter().map(|s| (s.section_id.as_str(), s)).collect();
    let new_ids: HashSet<&str> = new.iter().map(|s| s.section_id.as_str()).collect();
    let kept = kept_in_order(
        &old.iter()
            .map(|s| s.section_id.as_str())
            .collect::<Vec<_>>(),
        &new.iter()
            .map(|s| s.section_id.as_str())
            .collect::<Vec<_>>(),
    );
    let mut diff = SectionDiff {
        removed: old
            .iter()
            .filter(|s| !new_ids.contains(s.section_id.as_str()))
            .cloned()
            .collect(),
        ..SectionDiff::default()
    };
    for section in &new {
        let Some(was) = old_by_id.get(section.section_id.as_str()) else {
            diff.added.push(section.clone());
            continue;
        };
        if (was.level, &was.title) != (section.level, &section.title) {
            diff.changed.push(ChangedSection {
                section_id: section.section_id.clone(),
                before: Heading {
                    level: was.level,
                    title: was.title.clone(),
                },
                after: Heading {
                    level: section.level,
                    title: section.title.clone(),
                },
            });
        }
        if !kept.contains(section.section_id.as_str()) {
            diff.moved.push(MovedSection {
                section_id: section.section_id.clone(),
                from: was.sequence,
                to: section.sequence,
            });
        }
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fewest_moves_explain_a_new_order() {
        let before = ["a", "b", "c", "d", "e"];
        let after = ["b", "c", "d", "e", "a", "x"];
        let kept = kept_in_order(&before, &after);
        assert_eq!(kept.len(), 4);
        assert!(!kept.contains("a"));
        assert!(!kept.contains("x"));
    }
}
