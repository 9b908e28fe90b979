//! Field checks shared by every request body: text lengths and required values, collected so
//! one response names every field that is wrong.

use serde::{Deserialize, Deserializer};

use crate::error::{ApiError, FieldError};

/// The longest `comment` (the caller's why) a request may carry.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// The longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

#[derive(Debug, Default)]
pub struct Checks {
    errors: Vec<FieldError>,
}

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }

    /// A required text: not blank, at most `max` characters.
    pub fn required(&mut self, field: &str, value: &str, max: usize) -> &mut Self {
        if value.trim().is_empty() {
            self.errors
                .push(FieldError::new(field, "must not be blank"));
        }
        self.optional(field, Some(value), max)
    }

    /// An optional text: at most `max` characters when present.
    pub fn optional(&mut self, field: &str, value: Option<&str>, max: usize) -> &mut Self {
        if let Some(value) = value {
            let length = value.chars().count();
            if length > max {
                self.errors.push(FieldError::new(
                    field,
                    format!("must be at most {max} characters (got {length})"),
                ));
            }
        }
        self
    }

    pub fn comment(&mut self, comment: Option<&str>) -> &mut Self {
        self.optional("comment", comment, MAX_COMMENT_CHARS)
    }

    pub fn finish(&mut self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(std::mem::take(&mut self.errors)))
        }
    }
}

/// For PATCH bodies: an absent field is `None`, `null` is `Some(None)`, a value `Some(Some(v))`.
/// Use with `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_broken_field_is_named() {
        let error = Checks::new()
            .required("title", "  ", 10)
            .optional("author", Some("abcdefghijk"), 10)
            .comment(Some("fine"))
            .finish()
            .unwrap_err();
        match error {
            ApiError::Validation(errors) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["title", "author"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(Checks::new().required("title", "ééééé", 5).finish().is_ok());
    }
}
