//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use fountain_http::TableDeps;
use fountain_runtime::function::{Function, Need};
use fountain_runtime::{consumer_function, http_function, scheduled_function};

use crate::checker::*;
use crate::routes::*;
use crate::scaling::*;

pub const FUNCTIONS: &[Function] = &[
    http_function!(health, HealthDeps::load).needs(&[Need::ReadsTable]),
    http_function!(health_history, TableDeps::load).needs(&[Need::ReadsTable]),
    scheduled_function!(check_health, CheckerDeps::load)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(scale_workers, ScalerDeps::load)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
];
