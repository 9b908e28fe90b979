//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` attributes and
//! their request and response types. Every new endpoint joins `ApiDoc`; a test fails when a
//! route of template.yaml is missing here.

use fountain_http::{Access, ApiError, Body, Request, Response, serve};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::Deps;

#[derive(OpenApi)]
#[openapi(
    info(title = "FountainAI API", description = "Write and produce stories: accounts, scripts, sections, characters, paraphrases, versions, assembled stories, sessions and their context, story generation jobs, notifications, collaboration, events."),
    paths(
        crate::health::health,
        openapi_document,
        fountain_identity::handlers::register,
        fountain_identity::handlers::login,
        fountain_identity::handlers::refresh_token,
        fountain_identity::handlers::logout,
        fountain_identity::handlers::get_me,
        fountain_scripts::handlers::create_script,
        fountain_scripts::handlers::get_script,
        fountain_scripts::handlers::list_scripts,
        fountain_scripts::handlers::update_script,
        fountain_scripts::handlers::delete_script,
        fountain_characters::handlers::create_character,
        fountain_characters::handlers::get_character,
        fountain_characters::handlers::list_characters,
        fountain_characters::handlers::update_character,
        fountain_characters::handlers::delete_character,
        fountain_structure::handlers::create_section,
        fountain_structure::handlers::list_sections,
        fountain_structure::handlers::get_section,
        fountain_structure::handlers::update_section,
        fountain_structure::handlers::delete_section,
        fountain_structure::handlers::reorder_sections,
        fountain_structure::handlers::create_element,
        fountain_structure::handlers::list_elements,
        fountain_structure::handlers::get_element,
        fountain_structure::handlers::update_element,
        fountain_structure::handlers::delete_element,
        fountain_structure::handlers::move_element,
        fountain_structure::handlers::reorder_elements,
        fountain_paraphrases::handlers::create_paraphrase,
        fountain_paraphrases::handlers::list_paraphrases,
        fountain_paraphrases::handlers::get_paraphrase,
        fountain_paraphrases::handlers::update_paraphrase,
        fountain_paraphrases::handlers::delete_paraphrase,
        fountain_versions::handlers::create_version,
        fountain_versions::handlers::list_versions,
        fountain_versions::handlers::get_version,
        fountain_versions::handlers::diff_versions,
        fountain_versions::handlers::restore_version,
        fountain_generation::handlers::create_generation,
        fountain_generation::handlers::list_script_generations,
        fountain_generation::handlers::list_generations,
        fountain_generation::handlers::get_generation,
        fountain_generation::handlers::cancel_generation,
        fountain_stories::handlers::get_story,
        fountain_io::handlers::import_fountain,
        fountain_io::handlers::export_fountain,
        fountain_sessions::handlers::start_session,
        fountain_sessions::handlers::list_sessions,
        fountain_sessions::handlers::get_session,
        fountain_sessions::handlers::end_session,
        fountain_sessions::handlers::create_context_entry,
        fountain_sessions::handlers::list_context_entries,
        fountain_sessions::handlers::get_context_entry,
        fountain_sessions::handlers::update_context_entry,
        fountain_sessions::handlers::delete_context_entry,
        fountain_notifications::handlers::list_notifications,
        fountain_notifications::handlers::mark_notification_read,
        fountain_collaboration::handlers::create_invitation,
        fountain_collaboration::handlers::list_invitations,
        fountain_collaboration::handlers::revoke_invitation,
        fountain_collaboration::handlers::accept_invitation,
        fountain_collaboration::handlers::list_members,
        fountain_collaboration::handlers::remove_member,
        fountain_event_store::list::list_events,
        crate::config::list_config,
        crate::config::get_config,
        crate::config::put_config,
    ),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document as JSON.
pub fn document() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json()
}

/// This document; no authentication.
#[utoipa::path(get, path = "/openapi.json", tag = "operations", operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_document(_deps: &Deps, req: Request) -> Response<Body> {
    serve("openapi", Access::Public, req, |_ctx, _req| async move {
        let body = document().map_err(|e| ApiError::Internal(e.to_string()))?;
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::Text(body))
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_openapi_3_1_with_bearer_security() {
        let doc: serde_json::Value = serde_json::from_str(&document().unwrap()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        assert!(doc["components"]["schemas"]["Problem"].is_object());
        assert!(doc["paths"]["/scripts/{scriptId}"]["patch"].is_object());
    }
}
