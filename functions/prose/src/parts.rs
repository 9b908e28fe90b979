//! Splitting a story into parts small enough for one generator call each. A long story is
//! never one call: a provider's context window is finite, one slow call would hold the
//! whole job, and between parts the worker can check for cancellation and report progress.
//!
//! Planning is pure: the same story and budget always give the same parts, so a retried job
//! asks for the same parts again.

use std::ops::Range;

use crate::manuscript::{Element, Manuscript, Section};

/// Characters per part when the configuration does not say: a few thousand tokens of
/// screenplay, which leaves room in any current model's context for the prompt and the
/// reply.
pub const DEFAULT_PART_BUDGET: usize = 12_000;

/// One generator call's worth of a story: consecutive sections, or consecutive elements of
/// one section too big to fit a part alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// 0-based position among the story's parts.
    pub index: usize,
    /// How many parts the story was planned into.
    pub count: usize,
    /// Pieces of sections, in reading order.
    pub pieces: Vec<SectionPiece>,
}

/// A section, or a run of its elements, within a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionPiece {
    /// Index into `story.sections`.
    pub section: usize,
    /// Indexes into that section's `elements`.
    pub elements: Range<usize>,
}

impl SectionPiece {
    /// Whether the section's heading belongs to this piece: a section split across parts
    /// shows its heading once, where it starts.
    pub fn starts_section(&self) -> bool {
        self.elements.start == 0
    }
}

/// A piece resolved against its story.
#[derive(Debug, Clone, Copy)]
pub struct PieceView<'a> {
    pub section: &'a Section,
    pub elements: &'a [Element],
    pub starts_section: bool,
}

impl Part {
    /// The part's pieces with their sections and elements. Pieces that do not exist in
    /// `story` (a part planned for another story) are skipped rather than panicking.
    pub fn pieces<'a>(&'a self, story: &'a Manuscript) -> impl Iterator<Item = PieceView<'a>> + 'a {
        self.pieces.iter().filter_map(|piece| {
            let section = story.sections.get(piece.section)?;
            let elements = section.elements.get(piece.elements.clone())?;
            Some(PieceView {
                section,
                elements,
                starts_section: piece.starts_section(),
            })
        })
    }

    /// The characters this part weighs, as the planner counts them.
    pub fn weight(&self, story: &Manuscript) -> usize {
        self.pieces(story)
            .map(|piece| {
                let heading = if piece.starts_section {
                    heading_weight(piece.section)
                } else {
                    0
                };
                heading + piece.elements.iter().map(element_weight).sum::<usize>()
            })
            .sum()
    }

    /// How many elements the part holds.
    pub fn element_count(&self) -> usize {
        self.pieces.iter().map(|piece| piece.elements.len()).sum()
    }
}

/// What an element costs against the budget: every character a generator will read for it.
pub fn element_weight(element: &Element) -> usize {
    let content = &element.content;
    [
        Some(content.text.as_str()),
        content.parenthetical.as_deref(),
        content.extension.as_deref(),
        element.character_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(|text| text.chars().count())
    .sum()
}

fn heading_weight(section: &Section) -> usize {
    section.title.chars().count()
}

fn section_weight(section: &Section) -> usize {
    heading_weight(section) + section.elements.iter().map(element_weight).sum::<usize>()
}

/// The characters a whole story sends to a generator, counted as parts count them: what a
/// generation's size cap (MAX_GENERATION_INPUT_CHARS) compares.
pub fn story_weight(story: &Manuscript) -> usize {
    story.sections.iter().map(section_weight).sum()
}

/// Splits `story` into parts of at most `budget` characters (see [`element_weight`]), in
/// reading order, each section or element in exactly one part.
///
/// Whole sections are packed together while they fit. A section bigger than the budget
/// starts a new part and is split between elements; its last run may share a part with the
/// sections after it. One element is never split, so a part holding a single element (or
/// only the heading of an empty section) may exceed the budget; a budget of 0 counts as 1.
/// A story without sections has no parts.
pub fn plan_parts(story: &Manuscript, budget: usize) -> Vec<Part> {
    let budget = budget.max(1);
    let mut planned: Vec<Vec<SectionPiece>> = Vec::new();
    let mut current: Vec<SectionPiece> = Vec::new();
    let mut used = 0;

    for (section_index, section) in story.sections.iter().enumerate() {
        let whole = section_weight(section);
        let all_elements = 0..section.elements.len();
        if used + whole <= budget {
            current.push(SectionPiece {
                section: section_index,
                elements: all_elements,
            });
            used += whole;
            continue;
        }
        if !current.is_empty() {
            planned.push(std::mem::take(&mut current));
        }
        if whole <= budget {
            current.push(SectionPiece {
                section: section_index,
                elements: all_elements,
            });
            used = whole;
            continue;
        }

        // Too big for any part: cut between elements, the heading counting in the first run.
        let mut start = 0;
        let mut run_weight = heading_weight(section);
        for (element_index, element) in section.elements.iter().enumerate() {
            let weight = element_weight(element);
            if element_index > start && run_weight + weight > budget {
                planned.push(vec![SectionPiece {
                    section: section_index,
                    elements: start..element_index,
                }]);
                start = element_index;
                run_weight = 0;
            }
            run_weight += weight;
        }
        // The last run stays open so that the sections after it can join its part.
        current.push(SectionPiece {
            section: section_index,
            elements: start..section.elements.len(),
        });
        used = run_weight;
    }
    if !current.is_empty() {
        planned.push(current);
    }

    let count = planned.len();
    planned
        .into_iter()
        .enumerate()
        .map(|(index, pieces)| Part {
            index,
            count,
            pieces,
        })
        .collect()
}
