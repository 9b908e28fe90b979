//! The OpenAPI 3.1 document: every HTTP function's operation (from its `#[utoipa::path]`),
//! merged under the API's title and its bearer security scheme.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder};

const DESCRIPTION: &str = "Write and produce stories: accounts, scripts, sections, characters, paraphrases, versions, assembled stories, sessions and their context, story generation jobs, notifications, collaboration, events.";

/// The document of every operation in the registry.
pub fn document() -> OpenApi {
    let bearer = SecurityScheme::Http(
        HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .build(),
    );
    let mut document = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("FountainAI API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(DESCRIPTION))
                .license(Some(
                    LicenseBuilder::new()
                        .name(env!("CARGO_PKG_LICENSE"))
                        .identifier(Some(env!("CARGO_PKG_LICENSE")))
                        .build(),
                ))
                .build(),
        )
        .components(Some(
            ComponentsBuilder::new()
                .security_scheme("bearer", bearer)
                .build(),
        ))
        .build();
    for operation in crate::functions().filter_map(|function| function.openapi) {
        document.merge(operation());
    }
    document
}

/// The document as the JSON served at `/openapi.json`.
pub fn json() -> Result<String, serde_json::Error> {
    document().to_pretty_json()
}
