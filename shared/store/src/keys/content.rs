//! A script's content, in the script's partition: the script item, characters and their name
//! reservations, sections, elements, the orders of both, and paraphrases. Every content key
//! sorts inside [`CONTENT`], which one Query reads; the order index (`lsi1sk`) lists a
//! parent's children by order key and a target's paraphrases by id.

use std::ops::RangeInclusive;

use super::scripts::SCRIPT_SK;

/// A character (`CHAR#<characterId>`).
pub const CHARACTER: &str = "CHAR#";
/// The reservation of a character name in its script (`CHARNAME#<name>`). It does not start
/// with [`CHARACTER`], so the character listing skips it.
pub const CHARACTER_NAME: &str = "CHARNAME#";
/// A section (`SECTION#<sectionId>`), and a section's entry in the order index
/// (`SECTION#<orderKey>`).
pub const SECTION: &str = "SECTION#";
/// An element (`ELEMENT#<elementId>`), and an element's entry in the order index
/// (`ELEMENT#<sectionId>#<orderKey>`).
pub const ELEMENT: &str = "ELEMENT#";
/// The order revision of the script's sections.
pub const ORDER_SECTIONS_SK: &str = "ORDER#SECTIONS";
/// The order revision of one section's elements (`ORDER#ELEMENTS#<sectionId>`).
pub const ORDER_ELEMENTS: &str = "ORDER#ELEMENTS#";
/// A paraphrase (`PARA#<paraphraseId>`), and its entry in the index by target
/// (`PARA#<targetType>#<targetId>#<paraphraseId>`).
pub const PARAPHRASE: &str = "PARA#";

/// The sort keys a read of the script's content ranges over (`BETWEEN`, so both ends
/// included): every content key sorts inside it, and versions and the story cache sort after
/// it, so reading content never reads the stored snapshots. Memberships and invitations sort
/// inside it too: the read leaves out what [`ContentKind::of`] does not know.
pub const CONTENT: RangeInclusive<&str> = RangeInclusive::new(CHARACTER, "SECTION$");

pub fn character(character_id: &str) -> String {
    format!("{CHARACTER}{character_id}")
}

/// `folded_name`: the name as names compare (the characters context folds it).
pub fn character_name(folded_name: &str) -> String {
    format!("{CHARACTER_NAME}{folded_name}")
}

pub fn section(section_id: &str) -> String {
    format!("{SECTION}{section_id}")
}

/// A section's entry in the order index: the script's sections sort by it.
pub fn section_order(order_key: &str) -> String {
    format!("{SECTION}{order_key}")
}

pub fn element(element_id: &str) -> String {
    format!("{ELEMENT}{element_id}")
}

/// What the order index entries of one section's elements start with.
pub fn element_order_prefix(section_id: &str) -> String {
    format!("{ELEMENT}{section_id}#")
}

/// An element's entry in the order index: a section's elements sort by it.
pub fn element_order(section_id: &str, order_key: &str) -> String {
    format!("{}{order_key}", element_order_prefix(section_id))
}

pub fn order_elements(section_id: &str) -> String {
    format!("{ORDER_ELEMENTS}{section_id}")
}

pub fn paraphrase(paraphrase_id: &str) -> String {
    format!("{PARAPHRASE}{paraphrase_id}")
}

/// What the index entries of one target's paraphrases start with.
pub fn paraphrase_target_prefix(target_type: &str, target_id: &str) -> String {
    format!("{PARAPHRASE}{target_type}#{target_id}#")
}

/// A paraphrase's entry in the index by target: by target, then by id.
pub fn paraphrase_target(target_type: &str, target_id: &str, paraphrase_id: &str) -> String {
    format!(
        "{}{paraphrase_id}",
        paraphrase_target_prefix(target_type, target_id)
    )
}

/// What a content item is, read from its sort key, with the id the key carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind<'a> {
    Script,
    Character(&'a str),
    /// The folded name reserved.
    CharacterName(&'a str),
    Section(&'a str),
    Element(&'a str),
    /// The order revision of the sections.
    SectionOrder,
    /// The order revision of the elements of a section: its id.
    ElementOrder(&'a str),
    Paraphrase(&'a str),
}

impl<'a> ContentKind<'a> {
    /// The kind of the item with sort key `sk`; `None` when it is no content (memberships,
    /// invitations, versions, the story cache).
    pub fn of(sk: &'a str) -> Option<Self> {
        match sk {
            SCRIPT_SK => Some(Self::Script),
            ORDER_SECTIONS_SK => Some(Self::SectionOrder),
            _ => sk
                .strip_prefix(CHARACTER)
                .map(Self::Character)
                .or_else(|| sk.strip_prefix(CHARACTER_NAME).map(Self::CharacterName))
                .or_else(|| sk.strip_prefix(SECTION).map(Self::Section))
                .or_else(|| sk.strip_prefix(ELEMENT).map(Self::Element))
                .or_else(|| sk.strip_prefix(ORDER_ELEMENTS).map(Self::ElementOrder))
                .or_else(|| sk.strip_prefix(PARAPHRASE).map(Self::Paraphrase)),
        }
    }

    /// An order revision (of the sections, or of one section's elements).
    pub fn is_order(self) -> bool {
        matches!(self, Self::SectionOrder | Self::ElementOrder(_))
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::*;

    const ID: &str = "01JCX40A1B2C3D4E5F6G7H8J9K";

    #[test]
    fn every_content_key_has_its_format() {
        assert_eq!(character(ID), "CHAR#01JCX40A1B2C3D4E5F6G7H8J9K");
        assert_eq!(character_name("élodie"), "CHARNAME#élodie");
        assert_eq!(section(ID), "SECTION#01JCX40A1B2C3D4E5F6G7H8J9K");
        assert_eq!(section_order("8f"), "SECTION#8f");
        assert_eq!(element(ID), "ELEMENT#01JCX40A1B2C3D4E5F6G7H8J9K");
        assert_eq!(element_order_prefix("01S"), "ELEMENT#01S#");
        assert_eq!(element_order("01S", "8f"), "ELEMENT#01S#8f");
        assert_eq!(ORDER_SECTIONS_SK, "ORDER#SECTIONS");
        assert_eq!(order_elements("01S"), "ORDER#ELEMENTS#01S");
        assert_eq!(paraphrase(ID), "PARA#01JCX40A1B2C3D4E5F6G7H8J9K");
        assert_eq!(
            paraphrase_target_prefix("element", "01E"),
            "PARA#element#01E#"
        );
        assert_eq!(
            paraphrase_target("element", "01E", ID),
            "PARA#element#01E#01JCX40A1B2C3D4E5F6G7H8J9K"
        );
        assert_eq!((*CONTENT.start(), *CONTENT.end()), ("CHAR#", "SECTION$"));
    }

    #[test]
    fn every_content_key_sorts_inside_the_range_read_and_is_known_by_its_kind() {
        let content = [
            (SCRIPT_SK.to_owned(), ContentKind::Script),
            (character("01J"), ContentKind::Character("01J")),
            (character_name("anna"), ContentKind::CharacterName("anna")),
            (section("01S"), ContentKind::Section("01S")),
            (element("01E"), ContentKind::Element("01E")),
            (ORDER_SECTIONS_SK.to_owned(), ContentKind::SectionOrder),
            (order_elements("01S"), ContentKind::ElementOrder("01S")),
            (paraphrase("01P"), ContentKind::Paraphrase("01P")),
        ];
        for (sk, kind) in &content {
            assert_eq!(ContentKind::of(sk), Some(*kind), "{sk}");
            assert!(CONTENT.contains(&sk.as_str()), "{sk} is outside the range");
        }
        assert!(ContentKind::of(ORDER_SECTIONS_SK).is_some_and(ContentKind::is_order));
        assert!(ContentKind::of(&order_elements("01S")).is_some_and(ContentKind::is_order));
        assert!(!ContentKind::of(&section("01S")).is_some_and(ContentKind::is_order));
    }

    #[test]
    fn versions_and_the_story_cache_sort_after_the_content_and_other_items_are_no_content() {
        for sk in [
            version("01V"),
            version_chunk("01V", 1),
            STORY_STATE_SK.to_owned(),
            story_chunk(1, 1),
        ] {
            assert!(sk.as_str() > *CONTENT.end(), "{sk} must sort after content");
            assert_eq!(ContentKind::of(&sk), None, "{sk}");
        }
        // In the range, read and left out.
        for sk in [member("alice"), invite("01I")] {
            assert!(CONTENT.contains(&sk.as_str()), "{sk}");
            assert_eq!(ContentKind::of(&sk), None, "{sk}");
        }
    }

    #[test]
    fn a_name_reservation_is_no_character_and_an_element_order_no_section_order() {
        assert_eq!(
            ContentKind::of(&character_name("char#x")),
            Some(ContentKind::CharacterName("char#x"))
        );
        assert_eq!(
            ContentKind::of(&order_elements("SECTIONS")),
            Some(ContentKind::ElementOrder("SECTIONS"))
        );
    }

    #[test]
    fn one_sections_order_prefix_lists_none_of_anothers_elements() {
        // Ids of equal length never prefix each other, but the separator keeps even a shorter
        // id's prefix from listing a longer one's entries.
        assert!(!element_order("01SX", "8f").starts_with(&element_order_prefix("01S")));
        assert!(element_order("01S", "8f").starts_with(&element_order_prefix("01S")));
        assert!(
            !paraphrase_target("element", "01EX", ID)
                .starts_with(&paraphrase_target_prefix("element", "01E"))
        );
        assert!(
            !paraphrase_target("section", "01E", ID)
                .starts_with(&paraphrase_target_prefix("element", "01E"))
        );
    }
}
