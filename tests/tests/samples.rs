//! Every function has a sample event in events/ (usable with `cargo lambda invoke
//! --data-file` and `sam local invoke -e`), and each sample goes through its handler here.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use fountain_e2e::{ADMIN, Harness};
use fountain_local::functions::Invoker;

fn sample(binary: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../events")
        .join(format!("{binary}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no sample event {}", path.display()))
}

/// What each HTTP sample must answer on a fresh stack (the samples name ids that do not
/// exist yet, so reads and changes of them are 404).
fn expected_status(binary: &str) -> u16 {
    match binary {
        "create_script" | "start_session" | "import_fountain" => 201,
        // The same answer for every address; the rest goes by email.
        "register" | "forgot_password" => 202,
        // The sample's token is not one the mailer sent.
        "verify_email" | "reset_password" => 400,
        "health" | "openapi_document" | "get_jwks" | "list_scripts" | "list_events" | "get_me" => {
            200
        }
        "list_config" | "get_config" | "put_config" | "health_history" => 200,
        "list_dead_letters" | "stream_events" => 200,
        "list_sessions" | "list_notifications" | "list_generations" => 200,
        "logout" => 204,
        // The sample's caller is no administrator.
        "set_roles" => 403,
        "login" | "refresh_token" => 401,
        // The sample's range (November 2026) is older than a replay may reach by now.
        "replay_events" => 422,
        _ => 404,
    }
}

#[test]
fn every_function_has_a_sample_event_and_every_sample_a_function() {
    let samples: BTreeSet<String> =
        std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events"))
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .path()
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
    let binaries: BTreeSet<String> = fountain_registry::functions()
        .map(|f| f.name.to_owned())
        .collect();
    assert_eq!(samples, binaries);
}

#[tokio::test]
async fn each_sample_event_is_handled_by_its_function() {
    let h = Harness::start("samples").await;
    for function in &h.stack.template.functions {
        let binary = function.binary.as_str();
        let payload = sample(binary);
        match h.stack.invoker(&function.logical_id).unwrap() {
            Invoker::Http(handler) => {
                let request: lambda_http::request::LambdaRequest =
                    serde_json::from_str(&payload).unwrap();
                let response = handler(request.into()).await;
                assert_eq!(
                    response.status().as_u16(),
                    expected_status(binary),
                    "{binary}"
                );
                assert_eq!(
                    response.headers()["x-correlation-id"],
                    "sample-correlation-1",
                    "{binary}"
                );
            }
            Invoker::Authorizer(handler) => {
                let verdict = handler(serde_json::from_str(&payload).unwrap()).await;
                assert!(verdict.is_authorized);
                assert_eq!(
                    verdict.context["userId"], "alice",
                    "the sample's token is valid"
                );
            }
            Invoker::Sqs(handler) => {
                let response = handler(serde_json::from_str(&payload).unwrap()).await;
                assert!(response.batch_item_failures.is_empty(), "{binary}");
            }
            Invoker::Stream(handler) => {
                let response = handler(serde_json::from_str(&payload).unwrap()).await;
                assert!(response.batch_item_failures.is_empty(), "{binary}");
            }
            Invoker::Scheduled(handler) => {
                let run = handler(serde_json::from_str(&payload).unwrap()).await;
                assert_eq!(run, Ok(()), "{binary}");
            }
            // The connect sample's token (carol's: the logout sample revokes alice's) is
            // valid; the other samples' connection is not open, which each route answers by
            // closing it, not by failing.
            Invoker::WebSocket(handler) => {
                let response = handler(serde_json::from_str(&payload).unwrap()).await;
                assert_eq!(response.status_code, 200, "{binary}: {:?}", response.body);
            }
        }
    }
    // The store_event sample's event is now in the event store.
    let stored = h
        .get("/events?aggregateId=01JCX3ZK0M5V6Q7R8S9T0W1X2Y", ADMIN)
        .await;
    assert!(
        stored.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "ScriptCreated")
    );
}
