//! `GET /health` (public): every dependency's state, 200 when none is down and 503 with the
//! same body when one is; `GET /admin/health`: the transitions, newest first.

use std::time::Duration;

use chrono::{DateTime, Utc};
use fountain_http::{
    Access, Body, Problem, Request, Response, TableDeps, json, page_limit, query_param, serve,
};
use fountain_runtime::{ConfigError, Env};
use fountain_store::{Cursor, Page, PageError, Table, keys, query_page};
use serde::Serialize;
use utoipa::ToSchema;

use crate::dependency::Dependency;
use crate::state::{self, DependencyState, Status, Transition};

/// How long `GET /health` waits for the table before it reports the table down.
pub const READ_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone)]
pub struct HealthDeps {
    pub table: Table,
}

impl HealthDeps {
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            table: Table::new(
                aws_sdk_dynamodb::Client::new(sdk),
                env.required("TABLE_NAME")?,
            ),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Overall {
    /// No dependency is down.
    Ok,
    /// At least one dependency is down.
    Degraded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Reported {
    Up,
    Down,
    /// Not checked yet.
    Unknown,
}

/// One dependency as `GET /health` reports it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DependencyHealth {
    pub name: Dependency,
    pub status: Reported,
    /// When the current status began.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub since: Option<DateTime<Utc>>,
    /// Consecutive failed checks so far (a dependency is down after a configured number).
    pub failures: u32,
    pub last_error: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub checked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub status: Overall,
    pub version: &'static str,
    pub dependencies: Vec<DependencyHealth>,
}

impl Health {
    fn of(dependencies: Vec<DependencyHealth>) -> Self {
        let down = dependencies.iter().any(|d| d.status == Reported::Down);
        Self {
            status: if down { Overall::Degraded } else { Overall::Ok },
            version: env!("CARGO_PKG_VERSION"),
            dependencies,
        }
    }

    fn http_status(&self) -> u16 {
        match self.status {
            Overall::Ok => 200,
            Overall::Degraded => 503,
        }
    }
}

fn reported(dependency: Dependency, state: Option<&DependencyState>) -> DependencyHealth {
    DependencyHealth {
        name: dependency,
        status: match state.map(|s| s.status) {
            None => Reported::Unknown,
            Some(Status::Up) => Reported::Up,
            Some(Status::Down) => Reported::Down,
        },
        since: state.map(|s| s.since),
        failures: state.map_or(0, |s| s.failures),
        last_error: state.and_then(|s| s.last_error.clone()),
        checked_at: state.map(|s| s.checked_at),
    }
}

/// Every dependency's state, read within [`READ_TIMEOUT`]; a table that does not answer is
/// reported down (and the others unknown), never waited for.
pub async fn current(table: &Table) -> Vec<DependencyHealth> {
    let read = tokio::time::timeout(READ_TIMEOUT, state::states(table)).await;
    let error = match read {
        Ok(Ok(states)) => {
            return Dependency::ALL
                .into_iter()
                .map(|d| reported(d, states.iter().find(|s| s.dependency == d)))
                .collect();
        }
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no answer within {} s", READ_TIMEOUT.as_secs()),
    };
    Dependency::ALL
        .into_iter()
        .map(|d| match d {
            Dependency::Table => DependencyHealth {
                status: Reported::Down,
                last_error: Some(error.clone()),
                checked_at: Some(Utc::now()),
                ..reported(d, None)
            },
            other => reported(other, None),
        })
        .collect()
}

/// Health of the API and its dependencies; no authentication. 503 (with the same body) when
/// a dependency is down.
#[utoipa::path(get, path = "/health", tag = "operations", operation_id = "health",
    responses((status = 200, body = Health, description = "No dependency is down"),
        (status = 503, body = Health, description = "A dependency is down")))]
pub async fn health(deps: &HealthDeps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |_ctx, _req| async move {
        let health = Health::of(current(&deps.table).await);
        let mut response = json(health.http_status(), &health, None)?;
        response.headers_mut().insert(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
        Ok(response)
    })
    .await
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HealthHistory {
    /// Every dependency's state now.
    pub dependencies: Vec<DependencyHealth>,
    /// Status changes, newest first.
    pub items: Vec<Transition>,
    pub next_cursor: Option<String>,
}

/// The dependencies' status changes, newest first (kept 30 days), with their states now.
#[utoipa::path(get, path = "/admin/health", tag = "operations", operation_id = "health_history",
    params(("limit" = Option<i32>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = HealthHistory), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn health_history(deps: &TableDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |_ctx, req| async move {
        let limit = page_limit(&req)?;
        let cursor = query_param(&req, "cursor");
        let page = history(&deps.table, limit, cursor.as_deref()).await?;
        json(
            200,
            &HealthHistory {
                dependencies: current(&deps.table).await,
                items: page.items,
                next_cursor: page.next_cursor,
            },
            None,
        )
    })
    .await
}

/// One page of transitions, newest first.
pub async fn history(
    table: &Table,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<Transition>, PageError> {
    if let Some(cursor) = cursor {
        Cursor::continues_listing(cursor, keys::HEALTH_HISTORY_PK, "sk", "", &["pk", "sk"])?;
    }
    query_page(
        table
            .client
            .query()
            .table_name(&table.name)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", fountain_store::s(keys::HEALTH_HISTORY_PK))
            .scan_index_forward(false),
        ("pk", keys::HEALTH_HISTORY_PK),
        limit,
        cursor,
    )
    .await
}
