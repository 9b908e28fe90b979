//! Elements: the lines of a section, one kind per Fountain element, kept in order within
//! their section by the Central Sequence.

use chrono::{DateTime, Utc};
use fountain_http::{ApiError, Checks, FieldError, nullable};
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::PlacementInput;
use crate::order::Siblings;

pub const MAX_TEXT_CHARS: usize = 20_000;
pub const MAX_PARENTHETICAL_CHARS: usize = 200;
pub const MAX_EXTENSION_CHARS: usize = 40;

/// Every Fountain element outside the title page and headings has a kind here; scene,
/// act and sequence headings are sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    Action,
    Dialogue,
    Transition,
    Lyric,
    Note,
    Centered,
    PageBreak,
    Synopsis,
    Boneyard,
}

impl ElementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Action => "action",
            ElementKind::Dialogue => "dialogue",
            ElementKind::Transition => "transition",
            ElementKind::Lyric => "lyric",
            ElementKind::Note => "note",
            ElementKind::Centered => "centered",
            ElementKind::PageBreak => "page_break",
            ElementKind::Synopsis => "synopsis",
            ElementKind::Boneyard => "boneyard",
        }
    }
}

/// What an element says, validated together because the kind decides which fields apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    pub kind: ElementKind,
    /// The words; empty for a page break.
    pub text: String,
    /// Dialogue only: the speaking character, of the same script.
    pub character_id: Option<String>,
    /// Dialogue only, e.g. "(quietly)".
    pub parenthetical: Option<String>,
    /// Dialogue only: the cue's extension, e.g. "V.O." or "CONT'D".
    pub extension: Option<String>,
    /// Dialogue only: spoken at the same time as the dialogue before it.
    #[serde(default)]
    pub dual: bool,
}

impl Content {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut checks = Checks::new();
        match self.kind {
            ElementKind::PageBreak => {}
            _ => {
                checks.required("text", &self.text, MAX_TEXT_CHARS);
            }
        }
        checks
            .optional(
                "parenthetical",
                self.parenthetical.as_deref(),
                MAX_PARENTHETICAL_CHARS,
            )
            .optional("extension", self.extension.as_deref(), MAX_EXTENSION_CHARS)
            .finish()?;
        let mut errors = Vec::new();
        if self.kind == ElementKind::PageBreak && !self.text.is_empty() {
            errors.push(FieldError::new("text", "a page break has no text"));
        }
        if self.kind == ElementKind::Dialogue {
            if self.character_id.as_deref().is_none_or(str::is_empty) {
                errors.push(FieldError::new(
                    "characterId",
                    "a dialogue needs its character",
                ));
            }
        } else {
            let only_dialogue = [
                ("characterId", self.character_id.is_some()),
                ("parenthetical", self.parenthetical.is_some()),
                ("extension", self.extension.is_some()),
                ("dual", self.dual),
            ];
            for (field, set) in only_dialogue {
                if set {
                    errors.push(FieldError::new(field, "only a dialogue has this"));
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

/// An element as stored (`SCRIPT#<id>` / `ELEMENT#<id>`, ordered in its section by
/// `lsi1sk = ELEMENT#<sectionId>#<orderKey>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Element {
    pub element_id: String,
    pub script_id: String,
    pub section_id: String,
    #[serde(flatten)]
    pub content: Content,
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub comment: Option<String>,
    pub order_key: String,
}

impl Element {
    pub fn siblings(&self) -> Siblings {
        Siblings::elements(&self.script_id, &self.section_id)
    }

    pub fn view(&self, sequence: usize) -> ElementView {
        ElementView {
            element_id: self.element_id.clone(),
            script_id: self.script_id.clone(),
            section_id: self.section_id.clone(),
            content: self.content.clone(),
            sequence,
            revision: self.revision,
            created_at: self.created_at,
            updated_at: self.updated_at,
            comment: self.comment.clone(),
        }
    }
}

impl ItemCodec for Element {
    fn to_item(&self) -> Result<Item, StoreError> {
        let siblings = self.siblings();
        keyed_item(
            self,
            &[
                ("pk", &siblings.pk()),
                ("sk", &siblings.child_sk(&self.element_id)),
                ("lsi1sk", &siblings.order_sk(&self.order_key)),
                ("entity", "element"),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// An element as the API shows it: its place is its sequence number in its section.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ElementView {
    pub element_id: String,
    pub script_id: String,
    pub section_id: String,
    #[serde(flatten)]
    pub content: Content,
    /// 1..n among the section's elements.
    pub sequence: usize,
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub comment: Option<String>,
}

/// `POST /scripts/{scriptId}/sections/{sectionId}/elements`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateElement {
    pub kind: ElementKind,
    #[serde(default)]
    pub text: String,
    pub character_id: Option<String>,
    pub parenthetical: Option<String>,
    pub extension: Option<String>,
    #[serde(default)]
    pub dual: bool,
    pub position: Option<usize>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub comment: Option<String>,
}

impl CreateElement {
    pub fn content(&self) -> Content {
        Content {
            kind: self.kind,
            text: self.text.clone(),
            character_id: self.character_id.clone(),
            parenthetical: self.parenthetical.clone(),
            extension: self.extension.clone(),
            dual: self.dual,
        }
    }

    pub fn placement(&self) -> PlacementInput {
        PlacementInput {
            position: self.position,
            before: self.before.clone(),
            after: self.after.clone(),
        }
    }
}

/// `PATCH /scripts/{scriptId}/elements/{elementId}`: absent fields stay, `null` clears.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateElement {
    pub kind: Option<ElementKind>,
    pub text: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub character_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub parenthetical: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub extension: Option<Option<String>>,
    pub dual: Option<bool>,
    pub comment: Option<String>,
}

impl UpdateElement {
    /// `content` with this patch applied, and the names of the fields that changed.
    pub fn apply(&self, content: &Content) -> (Content, Vec<String>) {
        let mut next = content.clone();
        if let Some(kind) = self.kind {
            next.kind = kind;
        }
        if let Some(text) = &self.text {
            next.text = text.clone();
        }
        if let Some(character_id) = &self.character_id {
            next.character_id = character_id.clone();
        }
        if let Some(parenthetical) = &self.parenthetical {
            next.parenthetical = parenthetical.clone();
        }
        if let Some(extension) = &self.extension {
            next.extension = extension.clone();
        }
        if let Some(dual) = self.dual {
            next.dual = dual;
        }
        let mut changed = Vec::new();
        let fields = [
            ("kind", next.kind != content.kind),
            ("text", next.text != content.text),
            ("characterId", next.character_id != content.character_id),
            ("parenthetical", next.parenthetical != content.parenthetical),
            ("extension", next.extension != content.extension),
            ("dual", next.dual != content.dual),
        ];
        for (field, differs) in fields {
            if differs {
                changed.push(field.to_owned());
            }
        }
        (next, changed)
    }
}

/// `POST /scripts/{scriptId}/elements/{elementId}/move`: a place in its section, or in
/// another section of the script (`sectionId`); the end of the section by default.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MoveElement {
    pub section_id: Option<String>,
    pub position: Option<usize>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ElementPage {
    pub items: Vec<ElementView>,
    pub next_cursor: Option<String>,
}

/// The elements' order after a reorder, with the section's order revision (its ETag).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ElementOrder {
    /// Element ids, by sequence number.
    pub order: Vec<String>,
    /// The order revision this reorder wrote: one more than the one it was based on, the
    /// list's ETag from now on and the ItemsReordered event's `orderRevision`.
    pub order_revision: u64,
    /// How many elements got a new order key.
    pub written: usize,
}
