//! Which paraphrases a listing shows: all of the script's, or those of one target, both in
//! creation order.

use fountain_http::{ApiError, Request, query_param};
use fountain_store::{LSI1_SK, PK, SK};

use crate::model::Paraphrase;
use crate::target::{Target, TargetType};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// Every paraphrase of the script, from the base table
    /// (`begins_with(sk, keys::PARAPHRASE)`).
    All,
    /// The paraphrases of one target, from the local index `lsi1`.
    Of(Target),
}

impl Listing {
    /// From `targetType` and `targetId`: both or neither.
    pub fn from_query(
        target_type: Option<&str>,
        target_id: Option<&str>,
    ) -> Result<Self, ApiError> {
        match (target_type, target_id) {
            (None, None) => Ok(Listing::All),
            (Some(name), Some(id)) => {
                let target_type = TargetType::parse(name).ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "targetType must be {}, not {name}",
                        TargetType::NAMES
                    ))
                })?;
                Ok(Listing::Of(Target::new(target_type, id)))
            }
            _ => Err(ApiError::BadRequest(
                "targetType and targetId go together: give both or neither".into(),
            )),
        }
    }

    pub fn from_request(req: &Request) -> Result<Self, ApiError> {
        Self::from_query(
            query_param(req, "targetType").as_deref(),
            query_param(req, "targetId").as_deref(),
        )
    }

    /// The sort attribute the listing runs on and the prefix its values start with; a
    /// cursor must stop inside it to continue this listing.
    pub fn range(&self) -> (&'static str, String) {
        match self {
            Listing::All => (SK, Paraphrase::SK_PREFIX.to_owned()),
            Listing::Of(target) => (LSI1_SK, Paraphrase::target_prefix(target)),
        }
    }

    /// The attributes of a key where a page of this listing stops: the table's key, plus
    /// the index's sort key for a listing on the index.
    pub fn key_attributes(&self) -> &'static [&'static str] {
        match self {
            Listing::All => &[PK, SK],
            Listing::Of(_) => &[PK, SK, LSI1_SK],
        }
    }
}

#[cfg(test)]
mod tests {
    use fountain_store::keys;

    use super::*;

    #[test]
    fn a_target_needs_both_its_type_and_its_id() {
        assert_eq!(Listing::from_query(None, None).unwrap(), Listing::All);
        assert_eq!(
            Listing::from_query(Some("section"), Some("01JCX40A1B2C3D4E5F6G7H8J9K")).unwrap(),
            Listing::Of(Target::new(
                TargetType::Section,
                "01JCX40A1B2C3D4E5F6G7H8J9K"
            ))
        );
        for (target_type, target_id) in [
            (Some("section"), None),
            (None, Some("01JCX40A1B2C3D4E5F6G7H8J9K")),
            (Some("scene"), Some("01JCX40A1B2C3D4E5F6G7H8J9K")),
        ] {
            let error = Listing::from_query(target_type, target_id).unwrap_err();
            assert_eq!(error.status(), 400, "{target_type:?} {target_id:?}");
        }
    }

    #[test]
    fn each_listing_runs_on_its_own_range() {
        assert_eq!(Listing::All.range(), ("sk", keys::PARAPHRASE.to_owned()));
        let of = Listing::Of(Target::new(
            TargetType::Character,
            "01JCX40A1B2C3D4E5F6G7H8J9K",
        ));
        assert_eq!(
            of.range(),
            (
                "lsi1sk",
                keys::paraphrase_target_prefix("character", "01JCX40A1B2C3D4E5F6G7H8J9K")
            )
        );
    }
}
