//! The functions of this context, named once: each entry gives a Lambda binary of the same
//! name (its main is generated), a local-runner invoker and, for a route, its OpenAPI operation.

use fountain_runtime::function::Function;
use fountain_runtime::{authorizer_function, consumer_function, http_function, scheduled_function};

use crate::handlers::*;
use crate::rotation::{RotationDeps, rotate_signing_keys};
use crate::sessions::{self, *};
use crate::{AuthorizerDeps, IdentityDeps, authorizer};

pub const FUNCTIONS: &[Function] = &[
    authorizer_function!(authorizer, AuthorizerDeps::load),
    http_function!(register, IdentityDeps::load),
    http_function!(login, IdentityDeps::load),
    http_function!(refresh_token, IdentityDeps::load),
    http_function!(logout, IdentityDeps::load),
    http_function!(get_me, IdentityDeps::load),
    http_function!(verify_email, IdentityDeps::load),
    http_function!(request_email_verification, IdentityDeps::load),
    http_function!(forgot_password, IdentityDeps::load),
    http_function!(reset_password, IdentityDeps::load),
    http_function!(set_roles, IdentityDeps::load),
    http_function!(get_jwks, IdentityDeps::load),
    scheduled_function!(rotate_signing_keys, RotationDeps::load),
    consumer_function!(end_sessions, sessions::load_deps),
];
