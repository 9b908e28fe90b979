//! The `fountain` binary: parses the command line, runs it, and turns an error into its
//! message on stderr and its exit code (docs/cli.md).

use std::process::ExitCode;

use clap::Parser;
use fountain_cli::cli::{Cli, run};
use fountain_cli::error::exit;

#[tokio::main]
async fn main() -> ExitCode {
    // rustls needs one crypto provider; the workspace may build it with two (ring and
    // aws-lc-rs), so the CLI names its own. Installing fails only if one is already set.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::from(exit::OK),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
