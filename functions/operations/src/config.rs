//! Runtime configuration (`/config`), for administrators: typed, validated settings that
//! functions pick up within `settings::MAX_STALENESS` (5 s) without a redeploy.

use chrono::{DateTime, Utc};
use fountain_events::catalog::ConfigUpdated;
use fountain_http::{
    Access, ApiError, Body, Checks, Problem, Request, Response, TableDeps, json, json_body,
    path_param, serve,
};
use fountain_runtime::settings::{CONFIG_PK, SettingKey, Settings};
use fountain_store::{Table, Transaction, n, s};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A setting and its current value.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Setting {
    pub key: String,
    pub value: u64,
    pub default_value: u64,
    pub min: u64,
    pub max: u64,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SettingList {
    pub items: Vec<Setting>,
}

/// `PUT /config/{key}`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PutSetting {
    pub value: u64,
    pub comment: Option<String>,
}

fn setting(key: SettingKey, value: u64) -> Setting {
    let (min, max) = key.bounds();
    Setting {
        key: key.name().to_owned(),
        value,
        default_value: key.default_value(),
        min,
        max,
        description: key.description().to_owned(),
    }
}

fn key_of(req: &Request) -> Result<SettingKey, ApiError> {
    let name = path_param(req, "key")?;
    SettingKey::parse(&name).ok_or_else(|| {
        let known: Vec<_> = SettingKey::ALL.iter().map(|k| k.name()).collect();
        ApiError::BadRequest(format!(
            "{name} is not a setting; the settings are {}",
            known.join(", ")
        ))
    })
}

async fn current(table: &Table) -> Result<std::collections::HashMap<String, u64>, ApiError> {
    Ok(Settings::new(table.clone()).load().await?)
}

/// Every runtime setting with its value.
#[utoipa::path(get, path = "/config", tag = "operations", operation_id = "list_config",
    responses((status = 200, body = SettingList), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_config(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |_ctx, _req| async move {
        let values = current(&deps.table).await?;
        let items = SettingKey::ALL
            .into_iter()
            .map(|key| {
                setting(
                    key,
                    values
                        .get(key.name())
                        .copied()
                        .unwrap_or(key.default_value()),
                )
            })
            .collect();
        json(200, &SettingList { items }, None)
    })
    .await
}

/// One runtime setting.
#[utoipa::path(get, path = "/config/{key}", tag = "operations", operation_id = "get_config",
    params(("key" = inline(SettingKey), Path, description = "One of the settings")),
    responses((status = 200, body = Setting), (status = 400, body = Problem, description = "Unknown key"),
        (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_config(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |_ctx, req| async move {
        let key = key_of(&req)?;
        let value = current(&deps.table)
            .await?
            .get(key.name())
            .copied()
            .unwrap_or(key.default_value());
        json(200, &setting(key, value), None)
    })
    .await
}

/// Changes a runtime setting; every function uses the new value within 5 seconds.
#[utoipa::path(put, path = "/config/{key}", tag = "operations", operation_id = "put_config",
    params(("key" = inline(SettingKey), Path, description = "One of the settings")),
    request_body = PutSetting,
    responses((status = 200, body = Setting), (status = 400, body = Problem, description = "Unknown key"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem, description = "Value out of bounds")),
    security(("bearer" = [])))]
pub async fn put_config(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |ctx, req| async move {
        let key = key_of(&req)?;
        let input: PutSetting = json_body(&req, deps.max_body_bytes)?;
        Checks::new().comment(input.comment.as_deref()).finish()?;
        key.check(input.value)
            .map_err(|reason| ApiError::field("value", reason))?;
        let previous = current(&deps.table)
            .await?
            .get(key.name())
            .copied()
            .unwrap_or(key.default_value());
        let now: DateTime<Utc> = Utc::now();
        let mut item = Table::key(CONFIG_PK, key.name());
        item.insert("value".into(), n(input.value));
        item.insert("updatedAt".into(), s(now.to_rfc3339()));
        item.insert("updatedBy".into(), s(&ctx.principal.user_id));
        let event = ConfigUpdated {
            key: key.name().to_owned(),
            value: input.value,
            previous_value: previous,
            comment: input.comment,
        };
        Transaction::new()
            .put(item, None)
            .event(&ctx.envelope(&event)?)?
            .commit(&deps.table)
            .await?;
        json(200, &setting(key, input.value), None)
    })
    .await
}
