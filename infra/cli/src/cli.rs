//! The command line: its arguments (clap) and which command runs.

use clap::{Args, CommandFactory, Parser, Subcommand};
use clap_complete::Shell;

use crate::client::Api;
use crate::commands;
use crate::credentials::Store;
use crate::error::CliError;
use crate::output::Output;

/// The FountainAI command-line client: log in, import and export Fountain screenplays,
/// generate stories (prose, Fountain, LilyPond, MIDI, Csound), watch co-writers live, and
/// administer a stack.
#[derive(Debug, Parser)]
#[command(
    name = "fountain",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Exit codes: 0 done, 1 the API refused (or a job failed), 2 usage, \
    3 cannot reach the API, 4 not logged in or refused credentials, 5 a local file could not \
    be written, 130 interrupted. See docs/cli.md."
)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// The stack's HTTP API.
    #[arg(
        long,
        global = true,
        env = "FOUNTAIN_API",
        default_value = "http://127.0.0.1:3000",
        value_name = "URL"
    )]
    api: String,
    /// The stack's WebSocket API [default: the API's URL with ws:// or wss:// and /ws].
    #[arg(long, global = true, env = "FOUNTAIN_LIVE", value_name = "URL")]
    live: Option<String>,
    /// Print the API's JSON instead of tables (one JSON line per message for streams).
    #[arg(long, global = true)]
    json: bool,
    /// Print only the ids of what was made (and the files written); no progress bars or notes.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create an account (the rest comes by email: verify the address with its link).
    Register(commands::auth::Register),
    /// Log in with email and password; the session is stored and renews itself.
    Login(commands::auth::Login),
    /// Log out everywhere: every token of the account stops working, and the stored session
    /// is removed.
    Logout,
    /// Show who you are logged in as.
    Whoami,
    /// List, show or delete your scripts.
    #[command(subcommand)]
    Scripts(commands::scripts::Scripts),
    /// Import a Fountain screenplay as a new script.
    Import(commands::scripts::Import),
    /// Export a script as Fountain text (to stdout, or a file).
    Export(commands::scripts::Export),
    /// Generate a script's story; with --wait, follow the job and download its outputs.
    Generate(commands::generate::Generate),
    /// Print co-writers' changes and presence on a script as they happen.
    Watch(commands::watch::Watch),
    /// Follow the stored events (administrators).
    #[command(subcommand)]
    Events(commands::events::Events),
    /// Runtime settings, dead letters and replays (administrators).
    #[command(subcommand)]
    Admin(commands::admin::Admin),
    /// Print a shell completion script.
    ///
    /// E.g. `fountain completions bash > ~/.local/share/bash-completion/completions/fountain`,
    /// or `fountain completions zsh > ~/.zfunc/_fountain`.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// Runs the command `cli` names.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let out = Output {
        json: cli.global.json,
        quiet: cli.global.quiet,
    };
    if let Command::Completions { shell } = cli.command {
        clap_complete::generate(
            shell,
            &mut Cli::command(),
            "fountain",
            &mut std::io::stdout(),
        );
        return Ok(());
    }
    let mut api = Api::new(&cli.global.api, Store::locate()?)?;
    match cli.command {
        Command::Register(args) => commands::auth::register(&api, out, args).await,
        Command::Login(args) => commands::auth::login(&mut api, out, args).await,
        Command::Logout => commands::auth::logout(&mut api, out).await,
        Command::Whoami => commands::auth::whoami(&mut api, out).await,
        Command::Scripts(command) => commands::scripts::scripts(&mut api, out, command).await,
        Command::Import(args) => commands::scripts::import(&mut api, out, args).await,
        Command::Export(args) => commands::scripts::export(&mut api, out, args).await,
        Command::Generate(args) => commands::generate::generate(&mut api, out, args).await,
        Command::Watch(args) => {
            let live = live_url(&cli.global.api, cli.global.live.as_deref())?;
            commands::watch::watch(&mut api, out, &live, args).await
        }
        Command::Events(command) => commands::events::events(&mut api, out, command).await,
        Command::Admin(command) => commands::admin::admin(&mut api, out, command).await,
        Command::Completions { .. } => Ok(()),
    }
}

/// The WebSocket API's URL: `--live`, else the HTTP API's with ws(s):// and `/ws` appended
/// (the local runner serves both on one port; in AWS the WebSocket API has its own URL).
fn live_url(api: &str, live: Option<&str>) -> Result<String, CliError> {
    if let Some(live) = live {
        return Ok(live.to_owned());
    }
    let api = api.trim_end_matches('/');
    let rest = if let Some(rest) = api.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = api.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        return Err(CliError::Usage(format!(
            "--api {api} is not an http:// or https:// URL"
        )));
    };
    Ok(format!("{rest}/ws"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_live_url_follows_the_api() {
        assert_eq!(
            live_url("http://127.0.0.1:3000/", None).ok().as_deref(),
            Some("ws://127.0.0.1:3000/ws")
        );
        assert_eq!(
            live_url("https://api.example.org", None).ok().as_deref(),
            Some("wss://api.example.org/ws")
        );
        assert_eq!(
            live_url("http://x", Some("wss://live.example.org/prod"))
                .ok()
                .as_deref(),
            Some("wss://live.example.org/prod")
        );
    }
}
