use chrono::{DateTime, Utc};
use fountain_http::text_schema::{non_blank, optional_non_blank};
use fountain_http::{ApiError, Checks, FieldError};
use fountain_sequence::{Move, Placement, SequenceError};
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item, keys};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MAX_TITLE_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Act,
    Sequence,
    Scene,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Act => "act",
            Level::Sequence => "sequence",
            Level::Scene => "scene",
        }
    }
}

/// A section as stored (`SCRIPT#<id>` / `SECTION#<id>`, ordered by `lsi1sk`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    pub section_id: String,
    pub script_id: String,
    pub level: Level,
    pub title: String,
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub comment: Option<String>,
    /// Never shown: clients see sequence numbers.
    pub order_key: String,
}

impl Section {
    pub fn sk(section_id: &str) -> String {
        keys::section(section_id)
    }

    /// The order index entry: sections of a script sort by it.
    pub fn order_sk(order_key: &str) -> String {
        keys::section_order(order_key)
    }

    pub fn view(&self, sequence: usize) -> SectionView {
        SectionView {
            section_id: self.section_id.clone(),
            script_id: self.script_id.clone(),
            level: self.level,
            title: self.title.clone(),
            sequence,
            revision: self.revision,
            created_at: self.created_at,
            updated_at: self.updated_at,
            comment: self.comment.clone(),
        }
    }
}

impl ItemCodec for Section {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(
            self,
            &[
                ("pk", &fountain_scripts::Script::pk(&self.script_id)),
                ("sk", &Section::sk(&self.section_id)),
                ("lsi1sk", &Section::order_sk(&self.order_key)),
                ("entity", "section"),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// A section as the API shows it: its place is its sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SectionView {
    pub section_id: String,
    pub script_id: String,
    pub level: Level,
    pub title: String,
    /// 1..n among the script's sections.
    pub sequence: usize,
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub comment: Option<String>,
}

/// Where to put a section: at most one of `position`, `before`, `after`; the end otherwise.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlacementInput {
    /// The sequence number it gets (1-based).
    pub position: Option<usize>,
    /// The id of the sibling it goes before.
    pub before: Option<String>,
    /// The id of the sibling it goes after.
    pub after: Option<String>,
}

impl PlacementInput {
    pub fn placement(&self, field: &str) -> Result<Placement, ApiError> {
        match (self.position, &self.before, &self.after) {
            (None, None, None) => Ok(Placement::Last),
            (Some(position), None, None) => Ok(Placement::Position(position)),
            (None, Some(id), None) => Ok(Placement::Before(id.clone())),
            (None, None, Some(id)) => Ok(Placement::After(id.clone())),
            _ => Err(ApiError::field(
                field,
                "give at most one of position, before and after",
            )),
        }
    }
}

/// `POST /scripts/{scriptId}/sections`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateSection {
    pub level: Level,
    /// e.g. "INT. KITCHEN - NIGHT" or "ACT I".
    #[schema(schema_with = non_blank::<MAX_TITLE_CHARS>)]
    pub title: String,
    pub position: Option<usize>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub comment: Option<String>,
}

impl CreateSection {
    pub fn validate(&self) -> Result<Placement, ApiError> {
        Checks::new()
            .required("title", &self.title, MAX_TITLE_CHARS)
            .comment(self.comment.as_deref())
            .finish()?;
        PlacementInput {
            position: self.position,
            before: self.before.clone(),
            after: self.after.clone(),
        }
        .placement("position")
    }
}

/// `PATCH .../sections/{sectionId}`
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateSection {
    pub level: Option<Level>,
    #[schema(schema_with = optional_non_blank::<MAX_TITLE_CHARS>)]
    pub title: Option<String>,
    pub comment: Option<String>,
}

impl UpdateSection {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut checks = Checks::new();
        if let Some(title) = &self.title {
            checks.required("title", title, MAX_TITLE_CHARS);
        }
        checks.comment(self.comment.as_deref()).finish()
    }

    /// `section` with this patch's level and title, and the names of the fields that
    /// changed.
    pub fn apply(&self, section: &Section) -> (Section, Vec<String>) {
        let mut next = section.clone();
        let mut changed = Vec::new();
        if let Some(level) = self.level.filter(|level| *level != section.level) {
            next.level = level;
            changed.push("level".to_owned());
        }
        if let Some(title) = self
            .title
            .as_deref()
            .map(str::trim)
            .filter(|title| *title != section.title)
        {
            next.title = title.to_owned();
            changed.push("title".to_owned());
        }
        (next, changed)
    }
}

/// One move of a batch: the section and where it goes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MoveInput {
    pub id: String,
    pub position: Option<usize>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// `POST .../sections/reorder` and `POST .../elements/reorder`: the full new order, or a list
/// of moves applied in turn. Either way all or nothing; If-Match names the order revision it is based on.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReorderRequest {
    pub order: Option<Vec<String>>,
    pub moves: Option<Vec<MoveInput>>,
    pub comment: Option<String>,
}

/// What a reorder asks for, validated.
pub enum Reorder {
    Order(Vec<String>),
    Moves(Vec<Move>),
}

impl ReorderRequest {
    pub fn validate(&self) -> Result<Reorder, ApiError> {
        Checks::new().comment(self.comment.as_deref()).finish()?;
        match (&self.order, &self.moves) {
            (Some(order), None) => Ok(Reorder::Order(order.clone())),
            (None, Some(moves)) if !moves.is_empty() => moves
                .iter()
                .enumerate()
                .map(|(i, mv)| {
                    let placement = PlacementInput {
                        position: mv.position,
                        before: mv.before.clone(),
                        after: mv.after.clone(),
                    };
                    Ok(Move {
                        id: mv.id.clone(),
                        to: placement.placement(&format!("moves[{i}]"))?,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()
                .map(Reorder::Moves),
            _ => Err(ApiError::Validation(vec![FieldError::new(
                "order",
                "give either order (every child's id) or moves",
            )])),
        }
    }
}

/// The sections' order after a reorder, with the order revision (also the ETag).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SectionOrder {
    /// Section ids, by sequence number.
    pub order: Vec<String>,
    /// The order revision this reorder wrote: one more than the one it was based on, the
    /// list's ETag from now on and the ItemsReordered event's `orderRevision`.
    pub order_revision: u64,
    /// How many sections got a new order key.
    pub written: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SectionPage {
    pub items: Vec<SectionView>,
    pub next_cursor: Option<String>,
}

/// The answer to a refused order change among children called `what`.
pub fn sequence_problem(error: SequenceError, what: &'static str) -> ApiError {
    match error {
        SequenceError::UnknownId(_) => ApiError::NotFound(what),
        SequenceError::PositionOutOfRange { .. } => ApiError::field("position", error.to_string()),
        other => ApiError::BadRequest(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section() -> Section {
        let now = Utc::now();
        Section {
            section_id: "X".into(),
            script_id: "S".into(),
            level: Level::Scene,
            title: "INT. KITCHEN - NIGHT".into(),
            revision: 3,
            created_at: now,
            updated_at: now,
            comment: None,
            order_key: "80".into(),
        }
    }

    #[test]
    fn an_update_names_only_the_fields_it_changes() {
        let patch = UpdateSection {
            level: Some(Level::Scene),
            title: Some("  INT. HALL - DAY ".into()),
            comment: None,
        };
        let (after, changed) = patch.apply(&section());
        assert_eq!(changed, ["title"]);
        assert_eq!(after.title, "INT. HALL - DAY", "trimmed");
        assert_eq!((after.level, after.revision), (Level::Scene, 3));

        let same = UpdateSection {
            title: Some("INT. KITCHEN - NIGHT ".into()),
            ..UpdateSection::default()
        };
        let before = section();
        let (after, changed) = same.apply(&before);
        assert!(changed.is_empty());
        assert_eq!(after, before);
    }
}
