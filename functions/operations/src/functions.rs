//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use fountain_http::TableDeps;
use fountain_runtime::function::{Function, Need};
use fountain_runtime::http_function;

use crate::Deps;
use crate::config::*;
use crate::dead_letters::*;
use crate::openapi::*;

pub const FUNCTIONS: &[Function] = &[
    http_function!(openapi_document, without_aws Deps::load).needs(&[]),
    http_function!(list_config, TableDeps::load).needs(&[Need::ReadsTable]),
    http_function!(get_config, TableDeps::load).needs(&[Need::ReadsTable]),
    http_function!(put_config, TableDeps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_dead_letters, DeadLetterDeps::load).needs(&[]),
    http_function!(peek_dead_letters, DeadLetterDeps::load).needs(&[]),
    http_function!(redrive_dead_letters, DeadLetterDeps::load).needs(&[]),
    http_function!(delete_dead_letter, DeadLetterDeps::load).needs(&[]),
];
