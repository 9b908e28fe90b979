//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated) and a local-runner invoker.

use fountain_runtime::function::{Function, Need};
use fountain_runtime::{consumer_function, websocket_function};

use crate::access::*;
use crate::changes::*;
use crate::deps::LiveDeps;
use crate::handlers::*;
use fountain_identity::AuthorizerDeps;

pub const FUNCTIONS: &[Function] = &[
    // It verifies the token as the HTTP API's authorizer does (with its dependencies),
    // revocation bound included.
    websocket_function!("$connect", live_connect, AuthorizerDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    websocket_function!("$disconnect", live_disconnect, LiveDeps::load)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
    websocket_function!("subscribe", live_subscribe, LiveDeps::load)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
    websocket_function!("unsubscribe", live_unsubscribe, LiveDeps::load)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
    websocket_function!("$default", live_default, LiveDeps::load)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(push_changes, LiveDeps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(end_streams, LiveDeps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
];
