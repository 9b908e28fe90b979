//! register, login, logout, whoami.

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;
use reqwest::Method;
use serde_json::json;

use crate::client::{Api, json_of};
use crate::credentials::{Session, TokenPair};
use crate::error::CliError;
use crate::output::{self, Output};

#[derive(Debug, Args)]
pub struct Register {
    /// The account's email address (asked for when not given).
    email: Option<String>,
    /// Read the password from the first line of standard input instead of asking for it.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct Login {
    /// The account's email address (asked for when not given).
    email: Option<String>,
    /// Read the password from the first line of standard input instead of asking for it.
    #[arg(long)]
    password_stdin: bool,
}

pub async fn register(api: &Api, out: Output, args: Register) -> Result<(), CliError> {
    let email = email_or_ask(args.email)?;
    let password = if args.password_stdin {
        line_of_stdin("the password")?
    } else {
        let first = ask_password("Password (at least 12 characters): ")?;
        let again = ask_password("Password again: ")?;
        if first != again {
            return Err(CliError::Usage("the two passwords differ".into()));
        }
        first
    };
    let url = api.endpoint(&["auth", "register"])?;
    let response = api
        .send_public(
            api.http()
                .post(url)
                .json(&json!({ "email": email, "password": password })),
        )
        .await?;
    let body = json_of(response).await?;
    if out.json {
        return out.json(&body);
    }
    out.note(&format!(
        "Registered {email} at {}: the verification email has the link to confirm the address.",
        api.base()
    ));
    Ok(())
}

pub async fn login(api: &mut Api, out: Output, args: Login) -> Result<(), CliError> {
    let email = email_or_ask(args.email)?;
    let password = if args.password_stdin {
        line_of_stdin("the password")?
    } else {
        ask_password(&format!("Password for {email}: "))?
    };
    let url = api.endpoint(&["auth", "login"])?;
    let response = api
        .send_public(
            api.http()
                .post(url)
                .json(&json!({ "email": email, "password": password })),
        )
        .await?;
    let pair: TokenPair = serde_json::from_value(json_of(response).await?)
        .map_err(|e| api.not_the_api(&format!("a login answered {e}")))?;
    api.start_session(Session::from_pair(pair, Some(email.clone())))?;
    if out.json {
        return out.json(&json!({ "api": api.base(), "email": email, "loggedIn": true }));
    }
    out.note(&format!(
        "Logged in to {} as {email} (credentials in {}).",
        api.base(),
        api.store().path().display()
    ));
    Ok(())
}

pub async fn logout(api: &mut Api, out: Output) -> Result<(), CliError> {
    if api.session().is_err() {
        out.note(&format!("Not logged in to {}.", api.base()));
        return Ok(());
    }
    let outcome = api.call_json(Method::POST, &["auth", "logout"], None).await;
    // The stored session goes either way: a 401 means it had already ended.
    let ended_before = matches!(&outcome, Err(CliError::Api(p)) if p.status == 401)
        || matches!(&outcome, Err(CliError::NotLoggedIn(_)));
    api.end_session()?;
    match outcome {
        Ok(_) => {}
        Err(_) if ended_before => {}
        Err(other) => return Err(other),
    }
    out.note(&format!("Logged out of {}.", api.base()));
    Ok(())
}

pub async fn whoami(api: &mut Api, out: Output) -> Result<(), CliError> {
    let me = api.get_json(&["me"], &[]).await?;
    if out.json {
        return out.json(&me);
    }
    if out.quiet {
        return out.line(&output::text(&me, "userId"));
    }
    out.record(vec![
        ("api", api.base().to_owned()),
        ("user", output::text(&me, "userId")),
        ("email", output::text(&me, "email")),
        ("verified", output::text(&me, "emailVerified")),
        ("roles", output::text(&me, "roles")),
        ("since", output::time(&me, "createdAt")),
    ])
}

fn email_or_ask(email: Option<String>) -> Result<String, CliError> {
    if let Some(email) = email {
        return Ok(email);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "give the email address as an argument (standard input is not a terminal)".into(),
        ));
    }
    eprint!("Email: ");
    let _ = std::io::stderr().flush();
    line_of_stdin("the email address")
}

/// The first line of standard input, without its line break.
fn line_of_stdin(what: &str) -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Usage(format!("cannot read {what} from standard input: {e}")))?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if line.is_empty() {
        return Err(CliError::Usage(format!("{what} is empty")));
    }
    Ok(line)
}

/// Asks for a password on the terminal without echoing it.
fn ask_password(prompt: &str) -> Result<String, CliError> {
    rpassword::prompt_password(prompt).map_err(|e| {
        CliError::Usage(format!(
            "cannot ask for the password ({e}): with no terminal, pipe it in with --password-stdin"
        ))
    })
}
