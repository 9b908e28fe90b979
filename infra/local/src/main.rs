//! `fountain-local up` runs the whole system on 127.0.0.1; `fountain-local token` issues a
//! development token. The emulator is started by infra/run-local.sh.

use std::net::SocketAddr;

use anyhow::Result;
use clap::{Parser, Subcommand};
use fountain_local::{LOCAL_JWT_SECRET, LocalStack, StackOptions, default_template, dev_token};

#[derive(Parser)]
#[command(about = "FountainAI's local runner")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Provision template.yaml in the emulator and serve the API until Ctrl-C.
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

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().command {
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
            fountain_runtime::telemetry::init();
            fountain_runtime::metrics::disable();
            let stack = LocalStack::start(StackOptions {
                template: default_template(),
                prefix,
                bind,
                jwt_secret: LOCAL_JWT_SECRET.to_owned(),
                env_overrides: Default::default(),
                unpolled: Vec::new(),
            })
            .await?;
            eprintln!(
                "FountainAI is up: API on {} ({} routes). Ctrl-C stops it.",
                stack.url(),
                stack.template.routes().len()
            );
            tokio::signal::ctrl_c().await?;
            eprintln!("stopping");
        }
    }
    Ok(())
}
