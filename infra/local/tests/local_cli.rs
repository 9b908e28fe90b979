//! The runner's command line, as infra/run-local.sh and a newcomer use it: no emulator needed.
//! This target also makes `cargo test` build the `fountain-local` binary itself, with the
//! workspace's test-time features, so run-local.sh finds it built (decision 32).

use std::error::Error;
use std::net::TcpListener;
use std::process::{Command, Output};

type TestResult = Result<(), Box<dyn Error>>;

fn runner(args: &[&str]) -> std::io::Result<Output> {
    Command::new(env!("CARGO_BIN_EXE_fountain-local"))
        .args(args)
        .env_remove("AWS_ENDPOINT_URL")
        .output()
}

#[test]
fn token_prints_a_signed_jwt() -> TestResult {
    let out = runner(&["token", "--user", "alice", "--roles", "admin"])?;
    assert!(out.status.success(), "{out:?}");
    let token = String::from_utf8(out.stdout)?;
    assert_eq!(token.trim().split('.').count(), 3, "{token}");
    Ok(())
}

#[test]
fn up_refuses_a_busy_port_in_words_before_touching_the_emulator() -> TestResult {
    let busy = TcpListener::bind("127.0.0.1:0")?;
    let address = busy.local_addr()?;
    let out = runner(&["up", "--bind", &address.to_string()])?;
    assert!(!out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("port {} is in use", address.port()))
            && stderr.contains("set PORT to a free port"),
        "{stderr}"
    );
    Ok(())
}

#[test]
fn up_without_an_emulator_says_to_start_one() -> TestResult {
    let address = TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let out = runner(&["up", "--bind", &address.to_string()])?;
    assert!(!out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("AWS_ENDPOINT_URL is not set"), "{stderr}");
    Ok(())
}
