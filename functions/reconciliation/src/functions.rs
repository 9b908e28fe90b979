//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated) and a local-runner invoker.

use fountain_runtime::function::{Function, Need};
use fountain_runtime::scheduled_function;

use crate::ReconcileDeps;
use crate::run::*;

pub const FUNCTIONS: &[Function] = &[scheduled_function!(reconcile, ReconcileDeps::load).needs(&[
    Need::ReadsTable,
    Need::WritesTable,
    Need::SweepsTable,
])];
