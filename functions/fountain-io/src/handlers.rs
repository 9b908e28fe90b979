//! `import_fountain` and `export_fountain`.

use chrono::Utc;
use fountain_events::catalog::ScriptCreated;
use fountain_events::ids::new_id;
use fountain_http::{
    Access, ApiError, Body, Checks, FieldError, PROBLEM_CONTENT_TYPE, Problem, Request, Response,
    created, etag, path_param, query_param, serve,
};
use fountain_scripts::Script;
use fountain_scripts::access::{Permission, authorize};
use fountain_scripts::caps::Cap;
use serde::Serialize;
use utoipa::ToSchema;

use crate::Deps;
use crate::body::fountain_text;
use crate::export::{filename, screenplay};
use crate::import_write::{content_items, import};
use crate::plan::{PlanError, plan};

/// The media type of an export.
pub const FOUNTAIN_CONTENT_TYPE: &str = "text/plain; charset=utf-8";

/// The new script and what the import made of the text.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportedScript {
    #[serde(flatten)]
    pub script: Script,
    pub sections: usize,
    pub elements: usize,
    pub characters: usize,
}

/// Makes a new script of the caller's from Fountain 1.1 text: the title page gives the
/// title data, scene headings and `#` sections the sections, every other element an
/// element, and every distinct cue name (ignoring case) a character. All or nothing: the
/// script appears only once all of it is written.
#[utoipa::path(post, path = "/scripts/import", tag = "scripts", operation_id = "import_fountain",
    params(("title" = Option<String>, Query, min_length = 1, max_length = 200, pattern = r"\S",
            description = "The script's title, instead of the title page's"),
        ("comment" = Option<String>, Query, description = "Why; stored with the script and carried in ScriptCreated")),
    request_body(content = String, content_type = "text/plain", description = "Fountain text in UTF-8 (text/plain or text/x-fountain), at most 2 MB"),
    responses(
        (status = 201, body = ImportedScript, description = "Created; ETag and Location set"),
        (status = 400, body = Problem, description = "The body is not UTF-8"),
        (status = 401, body = Problem),
        (status = 413, body = Problem, description = "More than 2 MB"),
        (status = 415, body = Problem, description = "Not text/plain or text/x-fountain in UTF-8"),
        (status = 422, body = Problem, description = "Not importable: `line` names the source line (an unclosed boneyard, a text over its limit), or too many elements"),
    ),
    security(("bearer" = [])))]
pub async fn import_fountain(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let title = query_param(&req, "title");
        let comment = query_param(&req, "comment");
        let mut checks = Checks::new();
        if let Some(title) = &title {
            checks.required("title", title, 200);
        }
        checks.comment(comment.as_deref()).finish()?;
        let text = fountain_text(&req)?;
        let parsed = match fountain_text::parse(text) {
            Ok(parsed) => parsed,
            Err(error) => {
                return Ok(line_problem(
                    error.line(),
                    &error.to_string(),
                    &ctx.correlation_id,
                ));
            }
        };
        let script_id = new_id();
        let now = Utc::now();
        let plan = match plan(&parsed, &script_id, title.as_deref(), now) {
            Ok(plan) => plan,
            Err(PlanError::Invalid { line, message }) => {
                return Ok(line_problem(
                    line,
                    &format!("line {line}: {message}"),
                    &ctx.correlation_id,
                ));
            }
            Err(other) => return Err(other.into()),
        };
        let script = Script {
            script_id: script_id.clone(),
            title: plan.title.clone(),
            author: plan.author.clone(),
            description: plan.description.clone(),
            owner_id: ctx.principal.user_id.clone(),
            revision: 1,
            created_at: now,
            updated_at: now,
            comment,
            restore_lock: None,
        };
        let event = ScriptCreated {
            script_id: script_id.clone(),
            owner_id: script.owner_id.clone(),
            revision: script.revision,
            fields: script.fields(),
            comment: script.comment.clone(),
            // The import writes its characters itself, in the script's transaction.
            cast: Vec::new(),
            generate: false,
        };
        let envelope = ctx.envelope(&event)?;
        // Checked before thousands of items are written; the commit checks it again.
        let max = Cap::ScriptsOwned
            .room(&deps.table, &script.owner_id)
            .await?;
        let max_elements = Cap::Elements.max(&deps.table).await?;
        if plan.elements.len() as u64 > max_elements {
            return Err(Cap::Elements.reached(max_elements));
        }
        let items = content_items(&plan, &script_id)?;
        import(&deps.table, items, &script, max, &envelope)
            .await
            .map_err(Cap::ScriptsOwned.refusal(max))?;
        let revision = script.revision;
        created(
            &format!("/scripts/{script_id}"),
            &ImportedScript {
                script,
                sections: plan.sections.len(),
                elements: plan.elements.len(),
                characters: plan.characters.len(),
            },
            etag(revision),
        )
    })
    .await
}

/// The script as Fountain text, for anyone who may read it: its title data as the title
/// page, its sections as headings (scene headings, `#` acts, `##` sequences), its elements
/// in order, dialogue under its character's current name.
#[utoipa::path(get, path = "/scripts/{scriptId}/fountain", tag = "scripts", operation_id = "export_fountain",
    params(("scriptId" = String, Path)),
    responses(
        (status = 200, content_type = "text/plain", body = String,
            description = "Fountain 1.1 text in UTF-8, as an attachment named after the title",
            headers(("content-disposition" = String, description = "attachment; filename=\"<title>.fountain\""))),
        (status = 401, body = Problem), (status = 404, body = Problem),
    ),
    security(("bearer" = [])))]
pub async fn export_fountain(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        let story = fountain_stories::current_story(&deps.table, &script_id).await?;
        let text = fountain_text::write(&screenplay(&story));
        Response::builder()
            .status(200)
            .header(http::header::CONTENT_TYPE, FOUNTAIN_CONTENT_TYPE)
            .header(
                http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", filename(&story.title)),
            )
            .body(Body::Text(text))
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await
}

/// 422 for a text that cannot be imported, with the source line it is about in `line`.
fn line_problem(line: usize, message: &str, correlation_id: &str) -> Response<Body> {
    let error = ApiError::Validation(vec![FieldError::new("body", message)]);
    let mut problem: Problem = error.problem();
    problem.correlation_id = Some(correlation_id.to_owned());
    let mut body = serde_json::to_value(&problem).unwrap_or_default();
    if let Some(object) = body.as_object_mut() {
        object.insert("line".to_owned(), line.into());
    }
    let mut response = Response::new(Body::Text(body.to_string()));
    *response.status_mut() = http::StatusCode::UNPROCESSABLE_ENTITY;
    if let Ok(value) = http::HeaderValue::from_str(PROBLEM_CONTENT_TYPE) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, value);
    }
    response
}
