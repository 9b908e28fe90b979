//! The `fountain` binary: parses the command line, runs it, and turns an error into its
//! message on stderr and its exit code (docs/cli.md).

use std::process::ExitCode;

use clap::Parser;
use fountain_cli::cli::{Cli, run};
use fountain_cli::error::exit;

fn main() -> ExitCode {
    // rustls needs one crypto provider; the workspace may build it with two (ring and
    // aws-lc-rs), so the CLI names its own. Installing fails only if one is already set.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(exit::LOCAL);
        }
    };
    let outcome = runtime.block_on(run(cli));
    // A question on the terminal may still be waiting for its line (after a second
    // Ctrl-C): the process ends without waiting for it.
    runtime.shutdown_background();
    match outcome {
        Ok(()) => ExitCode::from(exit::OK),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
