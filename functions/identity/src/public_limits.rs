//! Limits of the public sign-in routes, which skip the authorizer and its per-user limit:
//! requests per clock minute per client address (register, login, refresh) and per email
//! (register, login), counted in the table like the per-user limit, 429 with `Retry-After`
//! past them. Counters are keyed by hashes, so no email or address is stored.

use fountain_http::{ApiError, Request};
use fountain_runtime::settings::SettingKey;
use sha2::{Digest, Sha256};

use crate::IdentityDeps;
use crate::rate_limit;

fn hashed(scope: &str, value: &str) -> String {
    format!("{scope}:{:x}", Sha256::digest(value.as_bytes()))
}

/// Counts this request against its client's and (given one) its email's minute.
pub async fn admit(
    deps: &IdentityDeps,
    req: &Request,
    email_key: Option<&str>,
) -> Result<(), ApiError> {
    let per_client = deps
        .settings
        .get(SettingKey::SignInRequestsPerMinutePerClient)
        .await?;
    let client = hashed("client", &client_ip(req));
    if let Some(seconds) = rate_limit::admit(&deps.table, &client, per_client).await? {
        return Err(too_many(seconds, "from this address"));
    }
    if let Some(email_key) = email_key {
        let per_email = deps
            .settings
            .get(SettingKey::SignInRequestsPerMinutePerEmail)
            .await?;
        let email = hashed("email", email_key);
        if let Some(seconds) = rate_limit::admit(&deps.table, &email, per_email).await? {
            return Err(too_many(seconds, "for this email address"));
        }
    }
    Ok(())
}

fn too_many(retry_after: u64, whose: &str) -> ApiError {
    ApiError::TooManyRequests {
        retry_after,
        detail: format!("too many sign-in requests {whose} this minute"),
    }
}

/// The caller's address as API Gateway saw the connection (never a client-set header).
pub fn client_ip(req: &Request) -> String {
    use lambda_http::RequestExt;
    use lambda_http::request::RequestContext;
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.http.source_ip.clone(),
        _ => None,
    }
    .unwrap_or_else(|| "unknown".to_owned())
}
