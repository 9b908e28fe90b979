//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use crate::Deps;
use crate::handlers::*;
use fountain_runtime::function::{Function, Need};
use fountain_runtime::http_function;

pub const FUNCTIONS: &[Function] = &[
    http_function!(create_version, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_versions, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(get_version, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(diff_versions, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(restore_version, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
];
