//! What runs beside the writers: generation jobs (requested and polled until done) and the
//! script whose characters keep growing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use super::api::{Account, Api, Body};

/// Requests a generation job of `script` and polls it until it is done.
pub async fn generate(api: &Api, account: &Account, script: &str, key: &str, deadline: Instant) {
    let started = Instant::now();
    let path = format!("/scripts/{script}/generations");
    let body = json!({ "comment": "soak: a read of the draft" });
    let Some(reply) = api
        .call_with(
            "generation_create",
            account,
            Method::POST,
            &path,
            &[("idempotency-key", key.to_owned())],
            Body::Json(body),
            &[202],
        )
        .await
    else {
        return;
    };
    let Ok(job) = reply.str("jobId") else {
        api.stats
            .unexpected("generation_create", reply.status, reply.described);
        return;
    };
    let path = format!("/generations/{job}");
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let Some(reply) = api
            .call(
                "generation_poll",
                account,
                Method::GET,
                &path,
                Body::Empty,
                &[200],
            )
            .await
        else {
            continue;
        };
        let status = reply.body["status"].as_str().unwrap_or("?").to_owned();
        match status.as_str() {
            "succeeded" => {
                api.stats.job(status, started.elapsed());
                return;
            }
            "failed" | "cancelled" | "?" => {
                api.stats.unexpected("generation_job", 200, reply.described);
                api.stats.job(status, started.elapsed());
                return;
            }
            _ if started.elapsed() > Duration::from_secs(600) => {
                api.stats.unexpected(
                    "generation_job",
                    200,
                    format!("not done after 10 minutes: {}", reply.described),
                );
                api.stats
                    .job(format!("{status} after 10 min"), started.elapsed());
                return;
            }
            _ if Instant::now() > deadline + Duration::from_secs(60) => {
                api.stats
                    .job(format!("{status} at the end"), started.elapsed());
                return;
            }
            _ => {}
        }
    }
}

/// Creates characters in `script` (the growing one) until the deadline, one every
/// `interval` at most, recording each create's time by the count before it.
pub async fn grow(
    api: Arc<Api>,
    account: Arc<Account>,
    script: String,
    deadline: Instant,
    interval: Duration,
) -> usize {
    let path = format!("/scripts/{script}/characters");
    let mut count = 0;
    let mut next = Instant::now();
    while Instant::now() < deadline {
        tokio::time::sleep_until(next.into()).await;
        next = (next + interval).max(Instant::now());
        api.keep_fresh(&account).await;
        let body: Value =
            json!({ "name": format!("EXTRA {:05}", count + 1), "description": "one of the crowd" });
        let started = Instant::now();
        let reply = api
            .call(
                "character_grow",
                &account,
                Method::POST,
                &path,
                Body::Json(body),
                &[201],
            )
            .await;
        if reply.is_some() {
            api.stats.character_create(count, started.elapsed());
            count += 1;
        }
    }
    count
}
