//! The document's side of [`crate::Checks`]: schemas stating the text rules the handlers
//! enforce, named by the same constants, for fields written as
//! `#[schema(schema_with = non_blank::<MAX_TITLE_CHARS>)]`. A limit is then written once and
//! the API document cannot promise more (or less) than a handler accepts.

use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};

/// What "not blank" means to [`crate::Checks::required`]: some character that is not white
/// space (`str::trim` and the pattern's `\S` agree on Unicode white space).
pub const NOT_BLANK_PATTERN: &str = r"\S";

/// A required text ([`crate::Checks::required`]): not blank, at most `MAX` characters.
pub fn non_blank<const MAX: usize>() -> Object {
    not_blank(ObjectBuilder::new().schema_type(Type::String), MAX)
}

/// An optional text that, when given, must not be blank: absent and `null` leave it as is.
pub fn optional_non_blank<const MAX: usize>() -> Object {
    not_blank(string_or_null(), MAX)
}

/// An optional free text ([`crate::Checks::optional`]): at most `MAX` characters.
pub fn optional_text<const MAX: usize>() -> Object {
    string_or_null().max_length(Some(MAX)).build()
}

fn string_or_null() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::String, Type::Null]))
}

fn not_blank(builder: ObjectBuilder, max: usize) -> Object {
    builder
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(NOT_BLANK_PATTERN))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_text_states_the_checks_limits() {
        let schema = serde_json::to_value(non_blank::<200>()).unwrap_or_default();
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["minLength"], 1);
        assert_eq!(schema["maxLength"], 200);
        assert_eq!(schema["pattern"], NOT_BLANK_PATTERN);
        let optional = serde_json::to_value(optional_text::<40>()).unwrap_or_default();
        assert_eq!(optional["type"], serde_json::json!(["string", "null"]));
        assert_eq!(optional["maxLength"], 40);
        assert!(optional.get("pattern").is_none());
    }
}
