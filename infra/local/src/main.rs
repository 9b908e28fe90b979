//! `fountain-local up` runs the whole system on 127.0.0.1; `fountain-local token` issues a
//! development token. The emulator is started by infra/run-local.sh.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};
use fountain_local::{LocalStack, StackOptions, default_template, dev_token};

/// How long the process waits, once stopped, for work that cannot be aborted (blocking
/// calls left behind by an aborted task) before it exits anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

#[derive(Parser)]
#[command(about = "FountainAI's local runner")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Provision template.yaml in the emulator and serve the API until Ctrl-C (or SIGTERM).
    Up {
        #[arg(long, default_value = "127.0.0.1:3000")]
        bind: SocketAddr,
        #[arg(long, default_value = "fountain")]
        prefix: String,
    },
    /// Print a development bearer token (signed with the local secret).
    Token {
        #[arg(long, default_value = "dev-user")]
        user: String,
        /// Comma-separated roles, e.g. admin.
        #[arg(long, default_value = "")]
        roles: String,
        #[arg(long, default_value_t = 60)]
        minutes: i64,
    },
}

/// Errors are printed in words ("error: ..."), without the backtrace `RUST_BACKTRACE` would add.
fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => {
            let result = runtime.block_on(run(cli));
            // Dropping a runtime waits for every blocking task; a stopped runner must not.
            runtime.shutdown_timeout(SHUTDOWN_GRACE);
            result
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Token {
            user,
            roles,
            minutes,
        } => {
            let roles: Vec<String> = roles
                .split(',')
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect();
            println!("{}", dev_token(&user, &roles, minutes)?);
        }
        Command::Up { bind, prefix } => {
            ensure_free(bind)?;
            fountain_runtime::telemetry::init();
            fountain_runtime::metrics::disable();
            let stop = stop_signal();
            tokio::pin!(stop);
            let start = LocalStack::start(StackOptions {
                template: default_template(),
                prefix,
                bind,
                signing_keys: fountain_auth::SigningKeySet::local_development(),
                env_overrides: Default::default(),
                unpolled: Vec::new(),
                run_schedules: true,
            });
            // A signal during provisioning stops it too.
            let stack = tokio::select! {
                stack = start => stack?,
                signal = &mut stop => {
                    eprintln!("{}: stopping before the API was up", signal?);
                    return Ok(());
                }
            };
            eprintln!(
                "FountainAI is up: API on {} ({} routes). Ctrl-C stops it.",
                stack.url(),
                stack.template.routes().len()
            );
            let signal = stop.await?;
            eprintln!("{signal}: stopping");
            // Aborts the HTTP server and every poller (an SQS long poll in flight included).
            drop(stack);
        }
    }
    Ok(())
}

/// Refuses an address something already listens on, in words, before anything is provisioned.
fn ensure_free(bind: SocketAddr) -> Result<()> {
    match std::net::TcpListener::bind(bind) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AddrInUse => bail!(
            "port {} is in use: another program (another run-local.sh?) is listening on {bind}; \
             set PORT to a free port (or pass --bind 127.0.0.1:<free port>)",
            bind.port()
        ),
        Err(e) => bail!("cannot serve the API on {bind}: {e}"),
    }
}

/// Resolves with the name of the first of SIGINT (Ctrl-C) and SIGTERM the process receives.
#[cfg(unix)]
async fn stop_signal() -> Result<&'static str> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(tokio::select! {
        _ = interrupt.recv() => "SIGINT",
        _ = terminate.recv() => "SIGTERM",
    })
}

#[cfg(not(unix))]
async fn stop_signal() -> Result<&'static str> {
    tokio::signal::ctrl_c().await?;
    Ok("Ctrl-C")
}
