//! Part planning: every section and element in exactly one part, in order, within budget.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use fountain_prose::Manuscript;
use fountain_prose::{DEFAULT_PART_BUDGET, Part, plan_parts};

/// The (section, element) index pairs the parts cover, in the parts' order.
fn covered(parts: &[Part]) -> Vec<(usize, usize)> {
    parts
        .iter()
        .flat_map(|part| &part.pieces)
        .flat_map(|piece| piece.elements.clone().map(move |e| (piece.section, e)))
        .collect()
}

fn every_element(story: &Manuscript) -> Vec<(usize, usize)> {
    story
        .sections
        .iter()
        .enumerate()
        .flat_map(|(s, section)| (0..section.elements.len()).map(move |e| (s, e)))
        .collect()
}

fn assert_plan_is_sound(story: &Manuscript, budget: usize) {
    let parts = plan_parts(story, budget);
    assert_eq!(covered(&parts), every_element(story), "budget {budget}");

    // Every section starts exactly once, in order, and its pieces are consecutive.
    let starts: Vec<usize> = parts
        .iter()
        .flat_map(|part| &part.pieces)
        .filter(|piece| piece.starts_section())
        .map(|piece| piece.section)
        .collect();
    assert_eq!(starts, (0..story.sections.len()).collect::<Vec<_>>());
    let pieces: Vec<_> = parts.iter().flat_map(|part| &part.pieces).collect();
    for pair in pieces.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        if before.section == after.section {
            assert_eq!(before.elements.end, after.elements.start, "budget {budget}");
        } else {
            assert_eq!(before.section + 1, after.section, "budget {budget}");
            assert_eq!(
                before.elements.end,
                story.sections[before.section].elements.len()
            );
        }
    }

    for (index, part) in parts.iter().enumerate() {
        assert_eq!((part.index, part.count), (index, parts.len()));
        assert!(!part.pieces.is_empty());
        // Over budget only when one element (or an empty section's heading) alone is too
        // big; a budget of 0 counts as 1.
        let weight = part.weight(story);
        assert!(
            weight <= budget.max(1) || part.element_count() <= 1,
            "part {index} weighs {weight} > {budget} with {} elements",
            part.element_count()
        );
    }
}

#[test]
fn parts_cover_every_section_once_in_order_within_budget() {
    for seed in 1..=8 {
        let story = generated(30, seed);
        for budget in [
            0,
            1,
            7,
            40,
            99,
            250,
            400,
            1_000,
            5_000,
            DEFAULT_PART_BUDGET,
            usize::MAX,
        ] {
            assert_plan_is_sound(&story, budget);
        }
    }
    assert_plan_is_sound(&lighthouse(), 60);
}

#[test]
fn small_sections_share_a_part() {
    let story = story(vec![
        section("A", vec![action(1, "aaaa")]),
        section("B", vec![action(2, "bbbb")]),
        section("C", vec![action(3, "cccc")]),
    ]);
    // Each section weighs 5: two fit in 10, the third starts a new part.
    let parts = plan_parts(&story, 10);
    let sections: Vec<Vec<usize>> = parts
        .iter()
        .map(|part| part.pieces.iter().map(|piece| piece.section).collect())
        .collect();
    assert_eq!(sections, [vec![0, 1], vec![2]]);
    assert_eq!(plan_parts(&story, usize::MAX).len(), 1);
}

#[test]
fn a_huge_section_is_split_between_elements() {
    let elements = (1..=10).map(|n| action(n, &"x".repeat(100))).collect();
    let story = story(vec![
        section("BIG", elements),
        section("AFTER", vec![action(11, "short")]),
    ]);
    let parts = plan_parts(&story, 250);
    let ranges: Vec<Vec<(usize, std::ops::Range<usize>)>> = parts
        .iter()
        .map(|part| {
            part.pieces
                .iter()
                .map(|piece| (piece.section, piece.elements.clone()))
                .collect()
        })
        .collect();
    // The heading (3) counts in the first run; the last run shares its part with AFTER.
    assert_eq!(
        ranges,
        [
            vec![(0, 0..2)],
            vec![(0, 2..4)],
            vec![(0, 4..6)],
            vec![(0, 6..8)],
            vec![(0, 8..10), (1, 0..1)],
        ]
    );
    assert!(!parts[1].pieces[0].starts_section());
}

#[test]
fn an_element_bigger_than_the_budget_is_a_part_of_its_own() {
    let story = story(vec![section(
        "S",
        vec![
            action(1, "tiny"),
            action(2, &"y".repeat(500)),
            action(3, "tiny"),
        ],
    )]);
    let parts = plan_parts(&story, 100);
    let ranges: Vec<_> = parts.iter().map(|p| p.pieces[0].elements.clone()).collect();
    assert_eq!(ranges, [0..1, 1..2, 2..3]);
}

#[test]
fn no_sections_no_parts_and_the_plan_is_stable() {
    assert!(plan_parts(&story(Vec::new()), 100).is_empty());
    let story = generated(20, 3);
    assert_eq!(plan_parts(&story, 300), plan_parts(&story.clone(), 300));
}
