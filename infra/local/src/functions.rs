//! The compiled handlers, by the binary name template.yaml gives each function. The runner
//! calls the same handler functions the Lambda mains run, with dependencies built from the
//! environment template.yaml gives that function.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use aws_config::SdkConfig;
use aws_lambda_events::event::apigw::{
    ApiGatewayV2CustomAuthorizerSimpleResponse, ApiGatewayV2CustomAuthorizerV2Request,
};
use aws_lambda_events::event::dynamodb::Event as StreamEvent;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use aws_lambda_events::event::streams::DynamoDbEventResponse;
use fountain_runtime::Env;
use lambda_http::{Body, Request, Response};

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type Handler<P, R> = Arc<dyn Fn(P) -> BoxFuture<R> + Send + Sync>;

/// A function, ready to be invoked with its kind of event.
#[derive(Clone)]
pub enum Invoker {
    Http(Handler<Request, Response<Body>>),
    Authorizer(
        Handler<ApiGatewayV2CustomAuthorizerV2Request, ApiGatewayV2CustomAuthorizerSimpleResponse>,
    ),
    Sqs(Handler<SqsEvent, SqsBatchResponse>),
    Stream(Handler<StreamEvent, DynamoDbEventResponse>),
}

/// Binds a handler to dependencies that live as long as the process, as in Lambda.
fn bind<D, P, R, F, Fut>(deps: D, handler: F) -> Handler<P, R>
where
    D: Send + Sync + 'static,
    F: Fn(&'static D, P) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
{
    let deps: &'static D = Box::leak(Box::new(deps));
    Arc::new(move |payload| Box::pin(handler(deps, payload)))
}

/// Every binary this runner can run; a test checks it against template.yaml and src/bin.
pub const BINARIES: &[&str] = &[
    "authorizer",
    "register",
    "login",
    "refresh_token",
    "logout",
    "get_me",
    "end_sessions",
    "health",
    "openapi_document",
    "list_config",
    "get_config",
    "put_config",
    "create_script",
    "list_scripts",
    "get_script",
    "update_script",
    "delete_script",
    "purge_script",
    "purge_section",
    "create_character",
    "list_characters",
    "get_character",
    "update_character",
    "delete_character",
    "create_section",
    "list_sections",
    "get_section",
    "update_section",
    "delete_section",
    "reorder_sections",
    "create_element",
    "list_elements",
    "get_element",
    "update_element",
    "delete_element",
    "move_element",
    "reorder_elements",
    "create_paraphrase",
    "list_paraphrases",
    "get_paraphrase",
    "update_paraphrase",
    "delete_paraphrase",
    "create_version",
    "list_versions",
    "get_version",
    "diff_versions",
    "restore_version",
    "create_generation",
    "list_generations",
    "list_script_generations",
    "get_generation",
    "cancel_generation",
    "generate_stories",
    "cancel_generations_on_logout",
    "get_story",
    "invalidate_stories",
    "import_fountain",
    "export_fountain",
    "start_session",
    "list_sessions",
    "get_session",
    "end_session",
    "create_context_entry",
    "list_context_entries",
    "get_context_entry",
    "update_context_entry",
    "delete_context_entry",
    "list_notifications",
    "mark_notification_read",
    "notify_users",
    "create_invitation",
    "list_invitations",
    "revoke_invitation",
    "accept_invitation",
    "list_members",
    "remove_member",
    "relay",
    "store_event",
    "list_events",
];

/// Builds the function `binary` with its environment, validating its configuration.
pub fn build(binary: &str, env: &Env, sdk: &SdkConfig) -> Result<Invoker> {
    use fountain_characters as characters;
    use fountain_collaboration as collaboration;
    use fountain_event_store as events;
    use fountain_generation as generation;
    use fountain_identity as identity;
    use fountain_io as io;
    use fountain_notifications as notifications;
    use fountain_operations as operations;
    use fountain_paraphrases as paraphrases;
    use fountain_scripts as scripts;
    use fountain_sessions as sessions;
    use fountain_stories as stories;
    use fountain_structure as structure;
    use fountain_versions as versions;

    // Scripts and configuration use the same dependencies: the table and the body limit.
    let scripts_deps = || scripts::Deps::load(env, sdk);
    let characters_deps = || characters::Deps::load(env, sdk);
    let paraphrases_deps = || paraphrases::Deps::load(env, sdk);
    let sessions_deps = || sessions::Deps::load(env, sdk);
    let identity_deps = || identity::IdentityDeps::load(env, sdk);
    let invoker = match binary {
        "authorizer" => Invoker::Authorizer(bind(
            identity::AuthorizerDeps::load(env, sdk)?,
            identity::authorize,
        )),
        "register" => Invoker::Http(bind(identity_deps()?, identity::handlers::register)),
        "login" => Invoker::Http(bind(identity_deps()?, identity::handlers::login)),
        "refresh_token" => Invoker::Http(bind(identity_deps()?, identity::handlers::refresh_token)),
        "logout" => Invoker::Http(bind(identity_deps()?, identity::handlers::logout)),
        "get_me" => Invoker::Http(bind(identity_deps()?, identity::handlers::get_me)),
        "end_sessions" => Invoker::Sqs(bind(
            identity::sessions::load_deps(env, sdk)?,
            identity::sessions::end_sessions,
        )),
        "health" => Invoker::Http(bind(operations::Deps, operations::health::health)),
        "openapi_document" => Invoker::Http(bind(
            operations::Deps,
            operations::openapi::openapi_document,
        )),
        "list_config" => Invoker::Http(bind(scripts_deps()?, operations::config::list_config)),
        "get_config" => Invoker::Http(bind(scripts_deps()?, operations::config::get_config)),
        "put_config" => Invoker::Http(bind(scripts_deps()?, operations::config::put_config)),
        "create_script" => Invoker::Http(bind(scripts_deps()?, scripts::handlers::create_script)),
        "list_scripts" => Invoker::Http(bind(scripts_deps()?, scripts::handlers::list_scripts)),
        "get_script" => Invoker::Http(bind(scripts_deps()?, scripts::handlers::get_script)),
        "update_script" => Invoker::Http(bind(scripts_deps()?, scripts::handlers::update_script)),
        "delete_script" => Invoker::Http(bind(scripts_deps()?, scripts::handlers::delete_script)),
        "purge_script" => Invoker::Sqs(bind(
            scripts::purge::load_deps(env, sdk)?,
            scripts::purge::purge_script,
        )),
        "purge_section" => Invoker::Sqs(bind(
            structure::purge::load_deps(env, sdk)?,
            structure::purge::purge_section,
        )),
        "create_character" => Invoker::Http(bind(
            characters_deps()?,
            characters::handlers::create_character,
        )),
        "list_characters" => Invoker::Http(bind(
            characters_deps()?,
            characters::handlers::list_characters,
        )),
        "get_character" => Invoker::Http(bind(
            characters_deps()?,
            characters::handlers::get_character,
        )),
        "update_character" => Invoker::Http(bind(
            characters_deps()?,
            characters::handlers::update_character,
        )),
        "delete_character" => Invoker::Http(bind(
            characters_deps()?,
            characters::handlers::delete_character,
        )),
        "create_section" => {
            Invoker::Http(bind(scripts_deps()?, structure::handlers::create_section))
        }
        "list_sections" => Invoker::Http(bind(scripts_deps()?, structure::handlers::list_sections)),
        "get_section" => Invoker::Http(bind(scripts_deps()?, structure::handlers::get_section)),
        "update_section" => {
            Invoker::Http(bind(scripts_deps()?, structure::handlers::update_section))
        }
        "delete_section" => {
            Invoker::Http(bind(scripts_deps()?, structure::handlers::delete_section))
        }
        "reorder_sections" => {
            Invoker::Http(bind(scripts_deps()?, structure::handlers::reorder_sections))
        }
        "create_element" => {
            Invoker::Http(bind(scripts_deps()?, structure::handlers::create_element))
        }
        "list_elements" => Invoker::Http(bind(scripts_deps()?, structure::handlers::list_elements)),
        "get_element" => Invoker::Http(bind(scripts_deps()?, structure::handlers::get_element)),
        "update_element" => {
            Invoker::Http(bind(scripts_deps()?, structure::handlers::update_element))
        }
        "delete_element" => {
            Invoker::Http(bind(scripts_deps()?, structure::handlers::delete_element))
        }
        "move_element" => Invoker::Http(bind(scripts_deps()?, structure::handlers::move_element)),
        "reorder_elements" => {
            Invoker::Http(bind(scripts_deps()?, structure::handlers::reorder_elements))
        }
        "create_paraphrase" => Invoker::Http(bind(
            paraphrases_deps()?,
            paraphrases::handlers::create_paraphrase,
        )),
        "list_paraphrases" => Invoker::Http(bind(
            paraphrases_deps()?,
            paraphrases::handlers::list_paraphrases,
        )),
        "get_paraphrase" => Invoker::Http(bind(
            paraphrases_deps()?,
            paraphrases::handlers::get_paraphrase,
        )),
        "update_paraphrase" => Invoker::Http(bind(
            paraphrases_deps()?,
            paraphrases::handlers::update_paraphrase,
        )),
        "delete_paraphrase" => Invoker::Http(bind(
            paraphrases_deps()?,
            paraphrases::handlers::delete_paraphrase,
        )),
        "create_version" => {
            Invoker::Http(bind(scripts_deps()?, versions::handlers::create_version))
        }
        "list_versions" => Invoker::Http(bind(scripts_deps()?, versions::handlers::list_versions)),
        "get_version" => Invoker::Http(bind(scripts_deps()?, versions::handlers::get_version)),
        "diff_versions" => Invoker::Http(bind(scripts_deps()?, versions::handlers::diff_versions)),
        "restore_version" => {
            Invoker::Http(bind(scripts_deps()?, versions::handlers::restore_version))
        }
        "create_generation" => Invoker::Http(bind(
            generation::Deps::load(env, sdk)?,
            generation::handlers::create_generation,
        )),
        "list_generations" => Invoker::Http(bind(
            generation::Deps::load(env, sdk)?,
            generation::handlers::list_generations,
        )),
        "list_script_generations" => Invoker::Http(bind(
            generation::Deps::load(env, sdk)?,
            generation::handlers::list_script_generations,
        )),
        "get_generation" => Invoker::Http(bind(
            generation::Deps::load(env, sdk)?,
            generation::handlers::get_generation,
        )),
        "cancel_generation" => Invoker::Http(bind(
            generation::Deps::load(env, sdk)?,
            generation::handlers::cancel_generation,
        )),
        "generate_stories" => Invoker::Sqs(bind(
            generation::worker::WorkerDeps::load(env, sdk)?,
            generation::worker::generate_stories,
        )),
        "cancel_generations_on_logout" => Invoker::Sqs(bind(
            generation::logout::load_deps(env, sdk)?,
            generation::logout::cancel_generations_on_logout,
        )),
        "get_story" => Invoker::Http(bind(scripts_deps()?, stories::handlers::get_story)),
        "invalidate_stories" => Invoker::Sqs(bind(
            stories::invalidate::load_deps(env, sdk)?,
            stories::invalidate::invalidate_stories,
        )),
        "import_fountain" => Invoker::Http(bind(scripts_deps()?, io::handlers::import_fountain)),
        "export_fountain" => Invoker::Http(bind(scripts_deps()?, io::handlers::export_fountain)),
        "start_session" => Invoker::Http(bind(sessions_deps()?, sessions::handlers::start_session)),
        "list_sessions" => Invoker::Http(bind(sessions_deps()?, sessions::handlers::list_sessions)),
        "get_session" => Invoker::Http(bind(sessions_deps()?, sessions::handlers::get_session)),
        "end_session" => Invoker::Http(bind(sessions_deps()?, sessions::handlers::end_session)),
        "create_context_entry" => Invoker::Http(bind(
            sessions_deps()?,
            sessions::handlers::create_context_entry,
        )),
        "list_context_entries" => Invoker::Http(bind(
            sessions_deps()?,
            sessions::handlers::list_context_entries,
        )),
        "get_context_entry" => Invoker::Http(bind(
            sessions_deps()?,
            sessions::handlers::get_context_entry,
        )),
        "update_context_entry" => Invoker::Http(bind(
            sessions_deps()?,
            sessions::handlers::update_context_entry,
        )),
        "delete_context_entry" => Invoker::Http(bind(
            sessions_deps()?,
            sessions::handlers::delete_context_entry,
        )),
        "list_notifications" => Invoker::Http(bind(
            notifications::Deps::load(env, sdk)?,
            notifications::handlers::list_notifications,
        )),
        "mark_notification_read" => Invoker::Http(bind(
            notifications::Deps::load(env, sdk)?,
            notifications::handlers::mark_notification_read,
        )),
        "notify_users" => Invoker::Sqs(bind(
            notifications::notify::load_deps(env, sdk)?,
            notifications::notify::notify_users,
        )),
        "create_invitation" => Invoker::Http(bind(
            scripts_deps()?,
            collaboration::handlers::create_invitation,
        )),
        "list_invitations" => Invoker::Http(bind(
            scripts_deps()?,
            collaboration::handlers::list_invitations,
        )),
        "revoke_invitation" => Invoker::Http(bind(
            scripts_deps()?,
            collaboration::handlers::revoke_invitation,
        )),
        "accept_invitation" => Invoker::Http(bind(
            scripts_deps()?,
            collaboration::handlers::accept_invitation,
        )),
        "list_members" => {
            Invoker::Http(bind(scripts_deps()?, collaboration::handlers::list_members))
        }
        "remove_member" => Invoker::Http(bind(
            scripts_deps()?,
            collaboration::handlers::remove_member,
        )),
        "relay" => Invoker::Stream(bind(
            events::RelayDeps::load(env, sdk)?,
            events::relay::relay,
        )),
        "store_event" => Invoker::Sqs(bind(
            events::StoreDeps::load(env, sdk)?,
            events::store_event::store_event,
        )),
        "list_events" => Invoker::Http(bind(
            events::QueryDeps::load(env, sdk)?,
            events::list::list_events,
        )),
        other => return Err(anyhow!("no handler is compiled for binary {other}")),
    };
    Ok(invoker)
}
