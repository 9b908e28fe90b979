//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use fountain_runtime::function::{Function, Need};
use fountain_runtime::{consumer_function, http_function};

use crate::Deps;
use crate::handlers::*;
use crate::purge::{self, *};

pub const FUNCTIONS: &[Function] = &[
    http_function!(create_section, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_sections, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(get_section, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(update_section, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(delete_section, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(reorder_sections, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(create_element, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_elements, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(get_element, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(update_element, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(delete_element, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(move_element, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(reorder_elements, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(purge_section, purge::load_deps)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
];
