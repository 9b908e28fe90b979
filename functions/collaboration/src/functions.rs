//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use crate::Deps;
use crate::handlers::*;
use crate::leave::{self, leave_scripts};
use fountain_runtime::function::{Function, Need};
use fountain_runtime::{consumer_function, http_function};

pub const FUNCTIONS: &[Function] = &[
    http_function!(create_invitation, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_invitations, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(revoke_invitation, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(accept_invitation, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(list_members, Deps::load).needs(&[Need::ReadsTable]),
    http_function!(remove_member, Deps::load).needs(&[Need::ReadsTable, Need::WritesTable]),
    consumer_function!(leave_scripts, leave::load_deps)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
];
