//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use fountain_runtime::function::{Function, Need};
use fountain_runtime::{consumer_function, http_function};

use crate::Deps;
use crate::availability::{self, *};
use crate::erasure::*;
use crate::first_generation::*;
use crate::handlers::*;
use crate::logout::{self, *};
use crate::worker::*;

pub const FUNCTIONS: &[Function] = &[
    http_function!(create_generation, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_generations, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(list_script_generations, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(get_generation, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(cancel_generation, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(batch generate_stories, WorkerDeps::load)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(cancel_generations_on_logout, logout::load_deps)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(follow_generator_health, availability::load_deps)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(start_first_generation, FirstGenerationDeps::load)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(delete_user_files, ErasureDeps::load)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
];
