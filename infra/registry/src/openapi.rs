//! The OpenAPI 3.1 document: every HTTP function's operation (from its `#[utoipa::path]`),
//! merged under the API's title and its bearer security scheme.

use fountain_http::MAX_COMMENT_CHARS;
use serde_json::{Value, json};
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

/// The document as the JSON served at `/openapi.json`, with the answers the handlers'
/// attributes cannot state made exact (see [`exact`]).
pub fn json() -> Result<String, serde_json::Error> {
    let mut document = serde_json::to_value(document())?;
    exact(&mut document);
    serde_json::to_string_pretty(&document)
}

const PROBLEM_REF: &str = "#/components/schemas/Problem";
const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// What every operation answers beyond its own attribute: errors are served as
/// `application/problem+json`; a protected route without an `Authorization` header is
/// answered by API Gateway itself, before any function runs, with 401
/// `{"message":"Unauthorized"}` as `application/json` (with a header, the authorizer lets
/// the request through and the function answers a refused token with a problem); `limit`
/// is 1 to 1,000; every `comment` is at most [`MAX_COMMENT_CHARS`]; an operation that
/// reads a body answers 400 to text that is not JSON and 422 to a value its schema or rules
/// refuse, and one with query or header parameters answers 400 to a malformed one.
pub fn exact(document: &mut Value) {
    limit_comments(document);
    document["components"]["schemas"]["GatewayMessage"] = json!({
        "type": "object",
        "description": "API Gateway's own answer, sent before any function runs.",
        "required": ["message"],
        "properties": { "message": { "type": "string" } },
    });
    let Some(paths) = document["paths"].as_object_mut() else {
        return;
    };
    for operation in paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
    {
        let reads_body = operation.get("requestBody").is_some();
        let has_parameters = operation["parameters"]
            .as_array()
            .is_some_and(|parameters| {
                parameters
                    .iter()
                    .any(|parameter| parameter["in"] == "query" || parameter["in"] == "header")
            });
        let secured = operation["security"]
            .as_array()
            .is_some_and(|security| !security.is_empty());
        if let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        {
            for response in responses.values_mut() {
                serve_problems_as_problems(response);
            }
            if reads_body {
                responses.entry("400").or_insert_with(|| {
                    problem("The body is not JSON (or not the text the operation takes).")
                });
                responses.entry("422").or_insert_with(|| {
                    problem("A field is missing, of the wrong type or breaks a rule: `errors` names each.")
                });
            }
            if has_parameters {
                responses
                    .entry("400")
                    .or_insert_with(|| problem("A parameter is malformed: `detail` names it."));
            }
            if secured {
                let unauthorized = responses.entry("401").or_insert_with(|| json!({}));
                unauthorized["description"] = json!(
                    "No valid credentials: without an Authorization header API Gateway answers `{\"message\":\"Unauthorized\"}`; a missing, expired, revoked or invalid bearer token is a problem."
                );
                unauthorized["content"][PROBLEM_CONTENT_TYPE] =
                    json!({ "schema": { "$ref": PROBLEM_REF } });
                unauthorized["content"]["application/json"] =
                    json!({ "schema": { "$ref": "#/components/schemas/GatewayMessage" } });
                // The authorizer's verdicts every protected route can pass on.
                responses.entry("429").or_insert_with(|| problem(
                    "Over the caller's request rate (MAX_REQUESTS_PER_MINUTE); Retry-After says when to try again.",
                ));
                responses.entry("503").or_insert_with(|| problem(
                    "Authorization is briefly unavailable (the table could not be read); Retry-After says when to try again.",
                ));
            }
        }
        let parameters = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut);
        for parameter in parameters.into_iter().flatten() {
            if parameter["name"] == "limit" && parameter["in"] == "query" {
                parameter["schema"]["minimum"] = json!(1);
                parameter["schema"]["maximum"] = json!(1000);
            }
            if parameter["name"] == "comment" {
                parameter["schema"]["maxLength"] = json!(MAX_COMMENT_CHARS);
            }
        }
    }
}

/// `comment` in every request schema is checked by `Checks::comment` (as a query parameter,
/// [`exact`] bounds it).
fn limit_comments(document: &mut Value) {
    if let Some(schemas) = document["components"]["schemas"].as_object_mut() {
        for schema in schemas.values_mut() {
            // `get_mut`, not indexing: indexing a missing key would insert it as null.
            if let Some(comment) = schema
                .get_mut("properties")
                .and_then(|properties| properties.get_mut("comment"))
            {
                comment["maxLength"] = json!(MAX_COMMENT_CHARS);
            }
        }
    }
}

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": { PROBLEM_CONTENT_TYPE: { "schema": { "$ref": PROBLEM_REF } } },
    })
}

/// Moves a response's problem schema from `application/json` to `application/problem+json`.
fn serve_problems_as_problems(response: &mut Value) {
    let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    let is_problem = content
        .get("application/json")
        .is_some_and(|media| media["schema"]["$ref"] == PROBLEM_REF);
    if is_problem && let Some(media) = content.remove("application/json") {
        content.insert(PROBLEM_CONTENT_TYPE.to_owned(), media);
    }
}
