//! Lambda's event source mappings of the queues, locally: each has a UUID, its function and
//! queue, and a `MaximumConcurrency` its pollers follow. The two Lambda API calls the scaler
//! makes, `ListEventSourceMappings` and `UpdateEventSourceMapping`, are served here (functions
//! get `LAMBDA_ENDPOINT` pointing at the runner), so the scaler's code is the same locally
//! and in AWS.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::watch;

const API: &str = "/2015-03-31/event-source-mappings";

/// One queue's mapping to its function.
#[derive(Debug)]
pub struct Mapping {
    pub uuid: String,
    /// The function's local name (its logical id).
    pub function: String,
    pub queue_arn: String,
    pub batch_size: usize,
    pub concurrency: watch::Sender<u32>,
}

impl Mapping {
    fn view(&self, region: &str) -> Value {
        json!({
            "UUID": self.uuid,
            "FunctionArn": format!("arn:aws:lambda:{region}:000000000000:function:{}", self.function),
            "EventSourceArn": self.queue_arn,
            "BatchSize": self.batch_size,
            "State": "Enabled",
            "ScalingConfig": { "MaximumConcurrency": *self.concurrency.borrow() },
        })
    }

    /// Whether `name` (a function's name or ARN) names this mapping's function.
    fn is_for(&self, name: &str) -> bool {
        name.rsplit(':').next() == Some(self.function.as_str())
    }
}

#[derive(Debug, Default, Clone)]
pub struct Mappings(pub Arc<Vec<Mapping>>);

impl Mappings {
    /// The current concurrency of `function`'s mapping.
    pub fn concurrency(&self, function: &str) -> Option<u32> {
        self.0
            .iter()
            .find(|m| m.function == function)
            .map(|m| *m.concurrency.borrow())
    }

    pub fn routes(&self, region: &str) -> Router {
        let (list, update) = (self.clone(), self.clone());
        let (list_region, update_region) = (region.to_owned(), region.to_owned());
        let listing = move |Query(query): Query<HashMap<String, String>>| {
            let mappings = list.clone();
            let region = list_region.clone();
            async move { mappings.list(&query, &region) }
        };
        Router::new()
            .route(API, get(listing.clone()))
            .route(&format!("{API}/"), get(listing))
            .route(
                &format!("{API}/{{uuid}}"),
                put(move |Path(uuid): Path<String>, body: axum::body::Bytes| {
                    let mappings = update.clone();
                    let region = update_region.clone();
                    async move { mappings.update(&uuid, &body, &region) }
                }),
            )
    }

    fn list(&self, query: &HashMap<String, String>, region: &str) -> Response {
        let found: Vec<Value> = self
            .0
            .iter()
            .filter(|m| query.get("FunctionName").is_none_or(|name| m.is_for(name)))
            .filter(|m| {
                query
                    .get("EventSourceArn")
                    .is_none_or(|arn| *arn == m.queue_arn)
            })
            .map(|m| m.view(region))
            .collect();
        axum::Json(json!({ "EventSourceMappings": found })).into_response()
    }

    fn update(&self, uuid: &str, body: &[u8], region: &str) -> Response {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Update {
            scaling_config: Option<Scaling>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Scaling {
            maximum_concurrency: Option<u32>,
        }
        let Some(mapping) = self.0.iter().find(|m| m.uuid == uuid) else {
            return error(
                StatusCode::NOT_FOUND,
                "ResourceNotFoundException",
                "no such mapping",
            );
        };
        let update: Update = match serde_json::from_slice(body) {
            Ok(update) => update,
            Err(e) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "InvalidParameterValueException",
                    &e.to_string(),
                );
            }
        };
        if let Some(concurrency) = update.scaling_config.and_then(|s| s.maximum_concurrency) {
            if !(2..=super::pollers::MAX_CONCURRENCY).contains(&concurrency) {
                return error(
                    StatusCode::BAD_REQUEST,
                    "InvalidParameterValueException",
                    "MaximumConcurrency must be between 2 and 64 locally (1000 in AWS)",
                );
            }
            mapping.concurrency.send_replace(concurrency);
        }
        (StatusCode::ACCEPTED, axum::Json(mapping.view(region))).into_response()
    }
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        [("x-amzn-errortype", kind)],
        axum::Json(json!({ "Type": "User", "message": message })),
    )
        .into_response()
}
