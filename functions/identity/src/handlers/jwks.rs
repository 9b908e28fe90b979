use fountain_http::{Access, ApiError, Body, Problem, Request, Response, serve};

use crate::IdentityDeps;

/// The public keys access tokens are verified with, as a JWK Set (RFC 7517): EdDSA keys
/// with their key ids; during a rotation the next key is here before it signs (decision 49).
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "identity", operation_id = "get_jwks",
    responses((status = 200, description = "The JWK Set", content_type = "application/json"),
        (status = 503, body = Problem, description = "The key set could not be read")))]
pub async fn get_jwks(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |_ctx, _req| async move {
        let published = deps
            .published
            .as_ref()
            .ok_or_else(|| ApiError::Internal("this function has no key set".into()))?
            .get()
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "published keys unavailable");
                ApiError::Unavailable("the key set is temporarily unavailable".into())
            })?;
        let mut response = fountain_http::json(200, &*published, None)?;
        // Readers may keep it as long as the functions do.
        response.headers_mut().insert(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("public, max-age=300"),
        );
        Ok(response)
    })
    .await
}
