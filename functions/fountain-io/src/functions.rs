//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use crate::Deps;
use crate::handlers::*;
use crate::pdf::*;
use fountain_runtime::function::{Function, Need};
use fountain_runtime::http_function;

pub const FUNCTIONS: &[Function] = &[
    http_function!(import_fountain, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(export_fountain, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    // Writes like the export: a story assembled on a cache miss is cached.
    http_function!(export_pdf, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
];
