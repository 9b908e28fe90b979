//! Runtime configuration: typed, validated, admin-only, and picked up by running functions
//! within the documented bound (5 s) without a redeploy.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use fountain_e2e::{ADMIN, Harness};
use reqwest::Method;
use serde_json::json;

/// The documented bound (settings::MAX_STALENESS is 5 s) plus slack for the local event loop.
const CONFIG_BOUND: Duration = Duration::from_secs(10);

async fn put(h: &Harness, key: &str, body: serde_json::Value) -> fountain_e2e::Reply {
    Harness::send(
        h.request(Method::PUT, &format!("/config/{key}"), Some(ADMIN))
            .json(&body),
    )
    .await
}

#[tokio::test]
async fn settings_are_typed_validated_and_for_administrators_only() {
    let h = Harness::start("config").await;
    assert_eq!(h.get("/config", "alice").await.status, 403);
    let as_user = Harness::send(
        h.request(
            Method::PUT,
            "/config/MAX_REQUESTS_PER_MINUTE",
            Some("alice"),
        )
        .json(&json!({ "value": 1 })),
    )
    .await;
    assert_eq!(as_user.status, 403);

    let list = h.get("/config", ADMIN).await;
    assert_eq!(list.status, 200);
    let keys: Vec<_> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "MAX_REQUESTS_PER_MINUTE",
            "MAX_LOGIN_FAILURES",
            "GENERATIONS_PER_DAY_FREE",
            "GENERATIONS_PER_DAY_PRO",
            "GENERATION_ELEMENTS_PER_DAY_FREE",
            "GENERATION_ELEMENTS_PER_DAY_PRO",
            "HEALTH_FAILURES_TO_DOWN",
            "HEALTH_SUCCESSES_TO_UP",
            "GENERATOR_BREAKER_FAILURES",
            "GENERATION_JOBS_PER_WORKER",
            "GENERATION_MIN_CONCURRENCY",
            "GENERATION_MAX_CONCURRENCY",
            "SIGN_IN_REQUESTS_PER_MINUTE_PER_CLIENT",
            "SIGN_IN_REQUESTS_PER_MINUTE_PER_EMAIL",
            "MAX_SCRIPTS_PER_USER",
            "MAX_VERSIONS_PER_SCRIPT",
            "MAX_ELEMENTS_PER_SCRIPT",
            "MAX_GENERATION_INPUT_CHARS",
        ]
    );
    assert_eq!(list.body["items"][0]["value"], 600);

    assert_eq!(
        put(&h, "NO_SUCH_KEY", json!({ "value": 1 })).await.status,
        400
    );
    assert_eq!(h.get("/config/NO_SUCH_KEY", ADMIN).await.status, 400);
    let zero = put(&h, "MAX_REQUESTS_PER_MINUTE", json!({ "value": 0 })).await;
    assert_eq!(zero.status, 422);
    assert_eq!(zero.body["errors"][0]["field"], "value");
    assert_eq!(
        put(&h, "MAX_REQUESTS_PER_MINUTE", json!({ "value": "many" }))
            .await
            .status,
        422
    );
    assert_eq!(
        put(
            &h,
            "MAX_REQUESTS_PER_MINUTE",
            json!({ "value": 5, "unit": "s" })
        )
        .await
        .status,
        422
    );
    assert_eq!(
        h.get("/config/MAX_REQUESTS_PER_MINUTE", ADMIN).await.body["value"],
        600,
        "nothing was written"
    );

    let changed = Harness::send(
        h.request(Method::PUT, "/config/MAX_REQUESTS_PER_MINUTE", Some(ADMIN))
            .header("x-correlation-id", "config-change")
            .json(&json!({ "value": 1200, "comment": "launch day" })),
    )
    .await;
    assert_eq!(changed.status, 200);
    assert_eq!(
        h.get("/config/MAX_REQUESTS_PER_MINUTE", ADMIN).await.body["value"],
        1200
    );
    let events = h
        .wait_for_events("correlationId=config-change", &["ConfigUpdated"])
        .await;
    assert_eq!(
        events[0]["data"],
        json!({ "key": "MAX_REQUESTS_PER_MINUTE", "value": 1200, "previousValue": 600, "comment": "launch day" })
    );
}

/// Sends `count` requests as `user`; returns how many were refused with 429 (each with a
/// Retry-After of at most a minute).
async fn burst(h: &Harness, user: &str, count: usize) -> usize {
    let mut refused = 0;
    for _ in 0..count {
        let reply = h.get("/scripts", user).await;
        if reply.status == 429 {
            let retry_after: u64 = reply.header("retry-after").unwrap().parse().unwrap();
            assert!((1..=60).contains(&retry_after));
            refused += 1;
        } else {
            assert_eq!(reply.status, 200);
        }
    }
    refused
}

#[tokio::test]
async fn a_new_rate_limit_applies_without_a_redeploy_within_the_bound() {
    let h = Harness::start("ratelimit").await;
    assert_eq!(
        burst(&h, "writer", 8).await,
        0,
        "the default limit is far away"
    );

    assert_eq!(
        put(&h, "MAX_REQUESTS_PER_MINUTE", json!({ "value": 3 }))
            .await
            .status,
        200
    );
    let changed = Instant::now();
    // Eight requests exceed a limit of three per minute even when a minute boundary falls
    // inside the burst (at most 3 + 3 pass).
    loop {
        let refused = burst(&h, "writer", 8).await;
        if refused >= 2 {
            break;
        }
        assert!(
            changed.elapsed() < CONFIG_BOUND,
            "the new limit was not applied within {CONFIG_BOUND:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Counters are per user: another user is not limited by writer's requests.
    assert!(burst(&h, "editor", 2).await == 0);

    assert_eq!(
        put(&h, "MAX_REQUESTS_PER_MINUTE", json!({ "value": 10000 }))
            .await
            .status,
        200
    );
    let raised = Instant::now();
    while burst(&h, "writer", 1).await != 0 {
        assert!(
            raised.elapsed() < CONFIG_BOUND,
            "the raised limit was not applied within {CONFIG_BOUND:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn the_login_lockout_threshold_is_a_setting() {
    let h = Harness::start("lockconfig").await;
    let password = "a long and fine passphrase";
    let register = json!({ "email": "t@example.org", "password": password });
    assert_eq!(
        Harness::send(
            h.request(Method::POST, "/auth/register", None)
                .json(&register)
        )
        .await
        .status,
        202
    );
    assert_eq!(
        put(&h, "MAX_LOGIN_FAILURES", json!({ "value": 2 }))
            .await
            .status,
        200
    );
    tokio::time::sleep(fountain_runtime::settings::MAX_STALENESS).await;
    let login = |password: &str| {
        Harness::send(
            h.request(Method::POST, "/auth/login", None)
                .json(&json!({ "email": "t@example.org", "password": password })),
        )
    };
    assert_eq!(login("wrong wrong wrong").await.status, 401);
    assert_eq!(login("wrong wrong wrong").await.status, 401);
    assert_eq!(
        login(password).await.status,
        429,
        "locked after two failures"
    );
}
