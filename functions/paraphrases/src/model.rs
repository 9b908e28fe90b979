use chrono::{DateTime, Utc};
use fountain_http::text_schema::{non_blank, optional_non_blank, optional_text};
use fountain_http::{ApiError, Checks, nullable};
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item, keys};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::target::{Target, TargetType};

pub const MAX_TEXT_CHARS: usize = 10_000;
pub const MAX_COMMENTARY_CHARS: usize = 4000;

// Stored as `SCRIPT#<id>` / `PARA#<id>`, listed per target by
// `lsi1sk = PARA#<targetType>#<targetId>#<paraphraseId>`.
/// Text and commentary about one character, section or element of the script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Paraphrase {
    pub paraphrase_id: String,
    pub script_id: String,
    pub target_type: TargetType,
    /// The character, section or element of the script it paraphrases; fixed at creation.
    pub target_id: String,
    pub text: String,
    /// Why the paraphrase belongs to its target.
    pub commentary: Option<String>,
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub comment: Option<String>,
}

impl Paraphrase {
    pub fn pk(script_id: &str) -> String {
        keys::script(script_id)
    }

    pub fn sk(paraphrase_id: &str) -> String {
        keys::paraphrase(paraphrase_id)
    }

    pub const SK_PREFIX: &'static str = keys::PARAPHRASE;

    pub fn target(&self) -> Target {
        Target::new(self.target_type, &self.target_id)
    }

    /// What the `lsi1sk` of every paraphrase of `target` starts with.
    pub fn target_prefix(target: &Target) -> String {
        keys::paraphrase_target_prefix(target.target_type.as_str(), &target.id)
    }

    /// Its entry in the local index: by target, then by id (ULID, so creation order).
    pub fn lsi1sk(&self) -> String {
        keys::paraphrase_target(
            self.target_type.as_str(),
            &self.target_id,
            &self.paraphrase_id,
        )
    }
}

impl ItemCodec for Paraphrase {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(
            self,
            &[
                ("pk", &Paraphrase::pk(&self.script_id)),
                ("sk", &Paraphrase::sk(&self.paraphrase_id)),
                ("lsi1sk", &self.lsi1sk()),
                ("entity", "paraphrase"),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// `POST /scripts/{scriptId}/paraphrases`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateParaphrase {
    /// A character, section or element of this script.
    pub target: Target,
    #[schema(schema_with = non_blank::<MAX_TEXT_CHARS>)]
    pub text: String,
    #[schema(schema_with = optional_text::<MAX_COMMENTARY_CHARS>)]
    pub commentary: Option<String>,
    pub comment: Option<String>,
}

impl CreateParaphrase {
    pub fn validate(&self) -> Result<(), ApiError> {
        Checks::new()
            .required("text", &self.text, MAX_TEXT_CHARS)
            .optional(
                "commentary",
                self.commentary.as_deref(),
                MAX_COMMENTARY_CHARS,
            )
            .comment(self.comment.as_deref())
            .finish()
    }
}

/// `PATCH .../paraphrases/{paraphraseId}`: absent fields stay, `null` clears the commentary.
/// The target cannot change: a paraphrase of something else is another paraphrase.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateParaphrase {
    #[schema(schema_with = optional_non_blank::<MAX_TEXT_CHARS>)]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = optional_text::<MAX_COMMENTARY_CHARS>)]
    pub commentary: Option<Option<String>>,
    pub comment: Option<String>,
}

impl UpdateParaphrase {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut checks = Checks::new();
        if let Some(text) = &self.text {
            checks.required("text", text, MAX_TEXT_CHARS);
        }
        checks
            .optional(
                "commentary",
                self.commentary.clone().flatten().as_deref(),
                MAX_COMMENTARY_CHARS,
            )
            .comment(self.comment.as_deref())
            .finish()
    }

    /// `paraphrase` with this change applied, as its next revision.
    pub fn apply(&self, paraphrase: &Paraphrase, now: DateTime<Utc>) -> Paraphrase {
        let mut next = paraphrase.clone();
        if let Some(text) = &self.text {
            next.text = text.trim().to_owned();
        }
        if let Some(commentary) = &self.commentary {
            next.commentary = commentary.clone();
        }
        next.revision += 1;
        next.updated_at = now;
        next.comment = self.comment.clone();
        next
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParaphrasePage {
    pub items: Vec<Paraphrase>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paraphrase() -> Paraphrase {
        Paraphrase {
            paraphrase_id: "01JCX4PARA000000000000000A".into(),
            script_id: "01JCX3ZK0M5V6Q7R8S9T0W1X2Y".into(),
            target_type: TargetType::Element,
            target_id: "01JCX4E1EM0000000000000002".into(),
            text: "She means to leave.".into(),
            commentary: Some("subtext".into()),
            revision: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            comment: None,
        }
    }

    fn fields(error: ApiError) -> Vec<String> {
        match error {
            ApiError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_paraphrase_is_indexed_under_its_target_then_its_id() {
        let p = paraphrase();
        assert_eq!(
            p.lsi1sk(),
            keys::paraphrase_target(
                "element",
                "01JCX4E1EM0000000000000002",
                "01JCX4PARA000000000000000A"
            )
        );
        assert!(
            p.lsi1sk()
                .starts_with(&Paraphrase::target_prefix(&p.target()))
        );
        let item = p.to_item().unwrap();
        assert_eq!(
            item["sk"].as_s().unwrap(),
            &keys::paraphrase("01JCX4PARA000000000000000A")
        );
        assert_eq!(item["entity"].as_s().unwrap(), "paraphrase");
        assert_eq!(Paraphrase::from_item(item).unwrap(), p);
    }

    #[test]
    fn a_blank_or_oversized_text_and_an_oversized_commentary_are_refused_together() {
        let create = CreateParaphrase {
            target: paraphrase().target(),
            text: "  ".into(),
            commentary: Some("c".repeat(MAX_COMMENTARY_CHARS + 1)),
            comment: Some("w".repeat(1001)),
        };
        assert_eq!(
            fields(create.validate().unwrap_err()),
            ["text", "commentary", "comment"]
        );
        let long = UpdateParaphrase {
            text: Some("t".repeat(MAX_TEXT_CHARS + 1)),
            ..UpdateParaphrase::default()
        };
        assert_eq!(fields(long.validate().unwrap_err()), ["text"]);
        assert!(
            UpdateParaphrase {
                text: Some("t".repeat(MAX_TEXT_CHARS)),
                ..UpdateParaphrase::default()
            }
            .validate()
            .is_ok()
        );
    }

    #[test]
    fn a_patch_keeps_what_it_omits_clears_a_null_commentary_and_moves_the_revision_on() {
        let before = paraphrase();
        let now = Utc::now();
        let kept = UpdateParaphrase::default().apply(&before, now);
        assert_eq!(
            (
                kept.text.as_str(),
                kept.commentary.as_deref(),
                kept.revision
            ),
            ("She means to leave.", Some("subtext"), 2)
        );
        let patch: UpdateParaphrase =
            serde_json::from_str(r#"{ "text": " She stays. ", "commentary": null }"#).unwrap();
        let after = patch.apply(&before, now);
        assert_eq!(
            (
                after.text.as_str(),
                after.commentary.as_deref(),
                after.updated_at
            ),
            ("She stays.", None, now)
        );
        assert_eq!(after.target(), before.target());
    }

    #[test]
    fn a_patch_cannot_name_a_target() {
        let retarget = serde_json::from_str::<UpdateParaphrase>(
            r#"{ "target": { "type": "section", "id": "01JCX4PARA000000000000000A" } }"#,
        );
        assert!(retarget.is_err());
    }
}
