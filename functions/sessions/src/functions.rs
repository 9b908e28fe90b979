//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use crate::Deps;
use crate::handlers::*;
use fountain_runtime::function::{Function, Need};
use fountain_runtime::http_function;

pub const FUNCTIONS: &[Function] = &[
    http_function!(start_session, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_sessions, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(get_session, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(end_session, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(create_context_entry, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_context_entries, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(get_context_entry, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(update_context_entry, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(delete_context_entry, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
];
