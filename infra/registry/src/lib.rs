//! Every function of the product, from each context crate's one `FUNCTIONS` list. The local
//! runner binds them, the OpenAPI document is assembled from them, and the generated files
//! (each function's Lambda main, docs/openapi.json, the README's tables of functions) are written from them by
//! `cargo run -p fountain-registry`; tests fail when any generated file is stale.

pub mod generated;
pub mod openapi;
pub mod readme;

use fountain_runtime::function::Function;

/// A context crate: where it lives, its Rust name and its functions.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub dir: &'static str,
    pub krate: &'static str,
    pub functions: &'static [Function],
}

/// Every context that has functions.
pub const CONTEXTS: &[Context] = &[
    context(
        "identity",
        "fountain_identity",
        fountain_identity::FUNCTIONS,
    ),
    context(
        "operations",
        "fountain_operations",
        fountain_operations::FUNCTIONS,
    ),
    context("scripts", "fountain_scripts", fountain_scripts::FUNCTIONS),
    context(
        "characters",
        "fountain_characters",
        fountain_characters::FUNCTIONS,
    ),
    context(
        "structure",
        "fountain_structure",
        fountain_structure::FUNCTIONS,
    ),
    context(
        "paraphrases",
        "fountain_paraphrases",
        fountain_paraphrases::FUNCTIONS,
    ),
    context(
        "versions",
        "fountain_versions",
        fountain_versions::FUNCTIONS,
    ),
    context("stories", "fountain_stories", fountain_stories::FUNCTIONS),
    context("health", "fountain_health", fountain_health::FUNCTIONS),
    context(
        "reconciliation",
        "fountain_reconciliation",
        fountain_reconciliation::FUNCTIONS,
    ),
    context("fountain-io", "fountain_io", fountain_io::FUNCTIONS),
    context(
        "sessions",
        "fountain_sessions",
        fountain_sessions::FUNCTIONS,
    ),
    context(
        "generation",
        "fountain_generation",
        fountain_generation::FUNCTIONS,
    ),
    context(
        "notifications",
        "fountain_notifications",
        fountain_notifications::FUNCTIONS,
    ),
    context(
        "collaboration",
        "fountain_collaboration",
        fountain_collaboration::FUNCTIONS,
    ),
    context("mail", "fountain_mail", fountain_mail::FUNCTIONS),
    context("live", "fountain_live", fountain_live::FUNCTIONS),
    context(
        "events",
        "fountain_event_store",
        fountain_event_store::FUNCTIONS,
    ),
];

const fn context(
    dir: &'static str,
    krate: &'static str,
    functions: &'static [Function],
) -> Context {
    Context {
        dir,
        krate,
        functions,
    }
}

/// Every function, context by context.
pub fn functions() -> impl Iterator<Item = &'static Function> {
    CONTEXTS.iter().flat_map(|context| context.functions.iter())
}

/// The function named `name` (its binary's name).
pub fn function(name: &str) -> Option<&'static Function> {
    functions().find(|function| function.name == name)
}
