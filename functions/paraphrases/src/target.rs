//! What a paraphrase points at: a character, a section or an element of its script, named by
//! type and id. The target items belong to other contexts; their sort keys are theirs.

use fountain_characters::Character;
use fountain_events::ids::is_id;
use fountain_scripts::Script;
use fountain_store::{Expression, Item, Table, keys, s};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    Character,
    Section,
    Element,
}

impl TargetType {
    pub const NAMES: &'static str = "character, section or element";

    pub fn as_str(self) -> &'static str {
        match self {
            TargetType::Character => "character",
            TargetType::Section => "section",
            TargetType::Element => "element",
        }
    }

    /// The type a query parameter names, if any.
    pub fn parse(name: &str) -> Option<Self> {
        [
            TargetType::Character,
            TargetType::Section,
            TargetType::Element,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
    }
}

/// What a paraphrase points at, by type and id: `{ "type": "element", "id": "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    #[serde(rename = "type")]
    pub target_type: TargetType,
    pub id: String,
}

impl Target {
    pub fn new(target_type: TargetType, id: impl Into<String>) -> Self {
        Self {
            target_type,
            id: id.into(),
        }
    }

    /// Only a ULID can name a target; anything else names nothing and is never looked up
    /// (so no key is built from arbitrary input).
    pub fn is_well_formed(&self) -> bool {
        is_id(&self.id)
    }

    /// The sort key of the target item in its script's partition.
    pub fn sk(&self) -> String {
        match self.target_type {
            TargetType::Character => Character::sk(&self.id),
            TargetType::Section => keys::section(&self.id),
            TargetType::Element => keys::element(&self.id),
        }
    }
}

/// A target as it was read, in the script `script_id`: a write of a paraphrase of it checks,
/// in its transaction, that it is still there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundTarget {
    pub script_id: String,
    pub target: Target,
    /// An element's section, which must exist too: removing a section hides its elements.
    pub section_id: Option<String>,
}

impl FoundTarget {
    /// The transaction's checks: the target exists (an element still in the section it was
    /// read in), and an element's section exists.
    pub fn checks(&self) -> Vec<(Item, Expression)> {
        let pk = Script::pk(&self.script_id);
        let exists = || Expression::new("attribute_exists(pk)");
        match &self.section_id {
            None => vec![(Table::key(&pk, self.target.sk()), exists())],
            Some(section_id) => vec![
                (
                    Table::key(&pk, self.target.sk()),
                    Expression::new("attribute_exists(pk) AND sectionId = :section")
                        .value(":section", s(section_id)),
                ),
                (Table::key(&pk, keys::section(section_id)), exists()),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_types_read_from_their_names_only() {
        assert_eq!(TargetType::parse("element"), Some(TargetType::Element));
        assert_eq!(TargetType::parse("Element"), None);
        assert_eq!(TargetType::parse("scene"), None);
    }

    #[test]
    fn targets_are_keyed_like_their_own_items() {
        let id = "01JCX40A1B2C3D4E5F6G7H8J9K";
        assert_eq!(
            Target::new(TargetType::Character, id).sk(),
            keys::character(id)
        );
        assert_eq!(Target::new(TargetType::Section, id).sk(), keys::section(id));
        assert_eq!(Target::new(TargetType::Element, id).sk(), keys::element(id));
    }

    #[test]
    fn an_element_target_is_checked_in_its_section_and_its_section_too() {
        let id = "01JCX40A1B2C3D4E5F6G7H8J9K";
        let found = FoundTarget {
            script_id: "01JCX3ZK0M5V6Q7R8S9T0W1X2Y".into(),
            target: Target::new(TargetType::Element, id),
            section_id: Some("01JCX4SECT0000000000000001".into()),
        };
        let checks = found.checks();
        let sks: Vec<_> = checks
            .iter()
            .map(|(key, _)| key["sk"].as_s().unwrap().as_str())
            .collect();
        assert_eq!(
            sks,
            [
                keys::element(id),
                keys::section("01JCX4SECT0000000000000001")
            ]
        );
        assert_eq!(
            checks[0].1.values[":section"],
            s("01JCX4SECT0000000000000001")
        );
        let character = FoundTarget {
            target: Target::new(TargetType::Character, id),
            section_id: None,
            ..found
        };
        assert_eq!(character.checks().len(), 1);
    }

    #[test]
    fn only_ulids_name_targets() {
        assert!(Target::new(TargetType::Section, "01JCX40A1B2C3D4E5F6G7H8J9K").is_well_formed());
        assert!(!Target::new(TargetType::Section, "01NOSUCHSECTION00000000000").is_well_formed());
        assert!(!Target::new(TargetType::Section, "x#y").is_well_formed());
    }
}
