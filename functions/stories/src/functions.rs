//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use fountain_runtime::function::{Function, Need};
use fountain_runtime::{consumer_function, http_function};

use crate::Deps;
use crate::handlers::*;
use crate::invalidate::{self, *};

pub const FUNCTIONS: &[Function] = &[
    http_function!(get_story, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(invalidate_stories, invalidate::load_deps)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
];
