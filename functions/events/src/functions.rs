//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use fountain_runtime::function::{Function, Need};
use fountain_runtime::{consumer_function, http_function, stream_function};

use crate::erase::*;
use crate::list::*;
use crate::monitor::*;
use crate::relay::*;
use crate::replay::*;
use crate::store_event::*;
use crate::{QueryDeps, RelayDeps, StoreDeps};

pub const FUNCTIONS: &[Function] = &[
    stream_function!(relay, RelayDeps::load).needs(&[Need::WritesTable]),
    consumer_function!(store_event, StoreDeps::load).needs(&[Need::WritesEvents]),
    http_function!(list_events, QueryDeps::load).needs(&[Need::ReadsEvents]),
    http_function!(stream_events, QueryDeps::load).needs(&[Need::ReadsEvents]),
    http_function!(replay_events, ReplayDeps::load).needs(&[Need::ReadsEvents]),
    consumer_function!(erase_user_addresses, EraseDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::ReadsEvents,
        Need::WritesEvents,
    ]),
];
