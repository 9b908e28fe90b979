//! What sections and elements are alike in: each is a child kept in order among its
//! siblings, written under the same rules. One store ([`crate::store`]) and one set of
//! handlers serve both; each kind says here what differs: its conditions and checks.

use fountain_characters::Character;
use fountain_scripts::access::access_refused;
use fountain_scripts::caps::Cap;
use fountain_store::{
    Condition, Expression, ItemCodec, Label, StoreError, Table, Transaction, n, s,
};

use crate::element::Element;
use crate::model::Section;
use crate::order::Siblings;

/// A child kept in order: a section of a script, or an element of a section.
pub trait Child: ItemCodec + Clone + Send + Sync {
    fn id(&self) -> &str;
    fn revision(&self) -> u64;
    /// Its key in its siblings' order, as stored.
    fn order_key(&self) -> &str;
    fn siblings(&self) -> Siblings;
    /// It is still as it was read: the same revision, in the same place.
    fn unchanged(&self) -> Condition;
    /// What its removal requires; by default [`Child::unchanged`].
    fn removable(&self) -> Condition {
        self.unchanged()
    }
    /// The checks a write of it commits with besides the access checks; none by default.
    fn with_checks(&self, tx: Transaction) -> Transaction {
        tx
    }
    /// The cap its kind counts against (elements per script); none by default.
    fn cap(&self) -> Option<Cap> {
        None
    }
}

/// The section is not at the revision (or place) a change is based on, or is gone.
const SECTION_CHANGED: Label = Label::new("section changed meanwhile");
/// The element is not at the revision and place it was read at.
const ELEMENT_CHANGED: Label = Label::new("element changed meanwhile");
/// The element's section is gone.
const SECTION_GONE: Label = Label::new("section gone");
/// The character a dialogue element names is gone.
const CHARACTER_GONE: Label = Label::new("character gone");

impl Child for Section {
    fn id(&self) -> &str {
        &self.section_id
    }

    fn revision(&self) -> u64 {
        self.revision
    }

    fn order_key(&self) -> &str {
        &self.order_key
    }

    fn siblings(&self) -> Siblings {
        Siblings::sections(&self.script_id)
    }

    /// Still in the same place too: a move does not change the revision, and a put must
    /// not undo it.
    fn unchanged(&self) -> Condition {
        Expression::new("attribute_exists(pk) AND revision = :based_on AND orderKey = :key")
            .value(":based_on", n(self.revision))
            .value(":key", s(&self.order_key))
            .labelled(SECTION_CHANGED)
    }

    /// A section never changes parent: a move meanwhile does not stop its removal (the
    /// order revision's condition still refuses a removal based on an older order).
    fn removable(&self) -> Condition {
        Expression::new("attribute_exists(pk) AND revision = :revision")
            .value(":revision", n(self.revision))
            .labelled(SECTION_CHANGED)
    }
}

impl Child for Element {
    fn id(&self) -> &str {
        &self.element_id
    }

    fn revision(&self) -> u64 {
        self.revision
    }

    fn order_key(&self) -> &str {
        &self.order_key
    }

    fn siblings(&self) -> Siblings {
        Element::siblings(self)
    }

    /// The place is the order index entry, which names the section too.
    fn unchanged(&self) -> Condition {
        Expression::new("attribute_exists(pk) AND revision = :based_on AND lsi1sk = :place")
            .value(":based_on", n(self.revision))
            .value(":place", s(self.siblings().order_sk(&self.order_key)))
            .labelled(ELEMENT_CHANGED)
    }

    fn cap(&self) -> Option<Cap> {
        Some(Cap::Elements)
    }

    /// Its section, and a dialogue's character, exist.
    fn with_checks(&self, mut tx: Transaction) -> Transaction {
        let script = Siblings::sections(&self.script_id);
        tx = tx.check(
            Table::key(script.pk(), Section::sk(&self.section_id)),
            Expression::new("attribute_exists(pk)").labelled(SECTION_GONE),
        );
        if let Some(character_id) = &self.content.character_id {
            tx = tx.check(
                Table::key(script.pk(), Character::sk(character_id)),
                Expression::new("attribute_exists(pk)").labelled(CHARACTER_GONE),
            );
        }
        tx
    }
}

/// What a refused write of a child means.
pub enum Refusal {
    Access,
    NoSection,
    NoCharacter,
    Conflict,
}

pub fn refusal(error: &StoreError) -> Refusal {
    if access_refused(error) {
        Refusal::Access
    } else if error.refused(SECTION_GONE) {
        Refusal::NoSection
    } else if error.refused(CHARACTER_GONE) {
        Refusal::NoCharacter
    } else {
        Refusal::Conflict
    }
}
