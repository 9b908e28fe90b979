//! `export_pdf`: the script as a screenplay PDF in the industry's format (fountain-pdf),
//! from the same assembled story as the Fountain export.

use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, path_param, query_param, serve,
};
use fountain_pdf::{Options, Paper, RenderError};
use fountain_scripts::access::{Permission, authorize};

use crate::Deps;
use crate::export::{filename, screenplay};

/// The most a PDF sent through the API may weigh: Lambda answers at most 6 MB, and a binary
/// body travels base64-encoded (4/3 of its size). At about 1.1 KB a page this is some 4,000
/// pages, more than the element cap allows.
pub const MAX_PDF_BYTES: usize = 4_400_000;

/// A PDF's bytes, as the OpenAPI document describes the answer (a binary string).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PdfDocument(pub Vec<u8>);

/// The paper the PDF is laid out on, as the query names it.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum PaperSize {
    Letter,
    A4,
}

/// The query of `export_pdf`, as the OpenAPI document describes it ([`options`] and the
/// handler read it).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
#[allow(dead_code)]
pub struct PdfQuery {
    /// A stored version of the script (its versionId) instead of the script as it is.
    version: Option<String>,
    /// Print the scene numbers headings carry (default true).
    scene_numbers: Option<bool>,
    /// The paper: letter (default) or a4.
    #[param(inline)]
    paper: Option<PaperSize>,
}

/// The media type of the answer.
pub const PDF_CONTENT_TYPE: &str = "application/pdf";

/// The screenplay as a PDF, for anyone who may read the script (or, with `version`, one of
/// its stored versions): title page from its title data, then the pages (Courier 12,
/// standard indents, `(MORE)`/`(CONT'D)` across pages).
#[utoipa::path(get, path = "/scripts/{scriptId}/pdf", tag = "scripts", operation_id = "export_pdf",
    params(("scriptId" = String, Path), PdfQuery),
    responses(
        (status = 200, content_type = "application/pdf", body = PdfDocument,
            description = "The screenplay as a PDF, as an attachment named after the title",
            headers(("content-disposition" = String, description = "attachment; filename=\"<title>.pdf\""))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem, description = "Too large to send through the API: the generation job's story.pdf is the way"),
    ),
    security(("bearer" = [])))]
pub async fn export_pdf(deps: &Deps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let script_id = path_param(&req, "scriptId")?;
        let options = options(&req)?;
        authorize(&deps.table, &script_id, &ctx.principal, Permission::Read).await?;
        let story = match query_param(&req, "version") {
            None => fountain_stories::current_story(&deps.table, &script_id).await?,
            Some(version_id) => {
                let items = fountain_versions::version_items(&deps.table, &script_id, &version_id)
                    .await?
                    .ok_or(ApiError::NotFound("version"))?;
                fountain_stories::assemble(items, 0)?
            }
        };
        let rendered =
            fountain_pdf::render(&screenplay(&story), &options).map_err(|e| match e {
                RenderError::TooLong { .. } => too_large(&e.to_string()),
            })?;
        if rendered.pdf.len() > MAX_PDF_BYTES {
            return Err(too_large(&format!(
                "the PDF is {} bytes, more than the {MAX_PDF_BYTES} the API sends",
                rendered.pdf.len()
            )));
        }
        let name = filename(&story.title);
        let name = name.strip_suffix(".fountain").unwrap_or(&name);
        Response::builder()
            .status(200)
            .header(http::header::CONTENT_TYPE, PDF_CONTENT_TYPE)
            .header(
                http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.pdf\""),
            )
            .body(Body::Binary(rendered.pdf))
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await
}

fn too_large(why: &str) -> ApiError {
    ApiError::LimitReached(format!(
        "{why}; a generation job writes story.pdf of any length (POST /scripts/{{scriptId}}/generations)"
    ))
}

/// `sceneNumbers` and `paper`, each checked.
fn options(req: &Request) -> Result<Options, ApiError> {
    let scene_numbers = match query_param(req, "sceneNumbers").as_deref() {
        None | Some("true") => true,
        Some("false") => false,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "sceneNumbers is true or false, not {other:?}"
            )));
        }
    };
    let paper = match query_param(req, "paper").as_deref() {
        None | Some("letter") => Paper::Letter,
        Some("a4") => Paper::A4,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "paper is letter or a4, not {other:?}"
            )));
        }
    };
    Ok(Options {
        paper,
        scene_numbers,
        ..Options::default()
    })
}
