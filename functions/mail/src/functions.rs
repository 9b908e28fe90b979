//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use fountain_runtime::consumer_function;
use fountain_runtime::function::{Function, Need};

use crate::deps;
use crate::send::*;

pub const FUNCTIONS: &[Function] = &[consumer_function!(send_email, deps::load).needs(&[
    Need::ReadsTable,
    Need::WritesTable,
    Need::Credentials,
])];
