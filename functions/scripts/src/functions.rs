//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use fountain_runtime::function::{Function, Need};
use fountain_runtime::{consumer_function, http_function};

use crate::Deps;
use crate::handlers::*;
use crate::purge::{self, *};

pub const FUNCTIONS: &[Function] = &[
    http_function!(create_script, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_scripts, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(get_script, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(update_script, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(delete_script, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(purge_script, purge::load_deps)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
];
