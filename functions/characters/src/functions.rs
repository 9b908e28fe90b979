//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use crate::Deps;
use crate::handlers::*;
use crate::initial_cast::{self, *};
use fountain_runtime::function::{Function, Need};
use fountain_runtime::{consumer_function, http_function};

pub const FUNCTIONS: &[Function] = &[
    http_function!(create_character, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_characters, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(get_character, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(update_character, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(delete_character, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(create_initial_cast, initial_cast::load_deps)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
];
