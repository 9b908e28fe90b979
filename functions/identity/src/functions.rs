//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use fountain_runtime::function::{Function, Need};
use fountain_runtime::{authorizer_function, consumer_function, http_function, scheduled_function};

use crate::forget::{self, purge_user};
use crate::handlers::*;
use crate::rotation::{RotationDeps, rotate_signing_keys};
use crate::sessions::{self, *};
use crate::{AuthorizerDeps, IdentityDeps, authorizer};

pub const FUNCTIONS: &[Function] = &[
    authorizer_function!(authorizer, AuthorizerDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    http_function!(register, IdentityDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    http_function!(login, IdentityDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    http_function!(refresh_token, IdentityDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    http_function!(logout, IdentityDeps::load).needs(&[Need::WritesTable, Need::Credentials]),
    http_function!(get_me, IdentityDeps::load).needs(&[Need::ReadsTable]),
    http_function!(verify_email, IdentityDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    http_function!(request_email_verification, IdentityDeps::load)
        .needs(&[Need::ReadsTable, Need::WritesTable]),
    http_function!(forgot_password, IdentityDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    http_function!(reset_password, IdentityDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    http_function!(set_roles, IdentityDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    http_function!(delete_account, IdentityDeps::load).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    http_function!(get_jwks, IdentityDeps::load).needs(&[]),
    scheduled_function!(rotate_signing_keys, RotationDeps::load).needs(&[]),
    consumer_function!(end_sessions, sessions::load_deps).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
    consumer_function!(purge_user, forget::load_deps).needs(&[
        Need::ReadsTable,
        Need::WritesTable,
        Need::Credentials,
    ]),
];
