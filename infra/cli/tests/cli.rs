//! The `fountain` binary run as a process against a local stack: sign-in and the stored
//! session (mode 0600, renewed when expired or refused), the held conformance files
//! imported, listed, shown and exported as the API exports them, a generation followed to
//! its outputs on disk, an administrator's event tail, and bad input answered with the
//! problem's words and the documented exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fountain_e2e::{ADMIN, Harness, PASSWORD};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The exit codes of docs/cli.md.
const REFUSED: i32 = 1;
const USAGE: i32 = 2;
const UNREACHABLE: i32 = 3;
const AUTH: i32 = 4;

/// A place to run the CLI from: its config directory and working directory.
struct Workspace {
    api: String,
    root: PathBuf,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr: {}", self.stdout, self.stderr))
    }

    fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Workspace {
    fn new(h: &Harness, name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let root = std::env::temp_dir().join(format!(
            "fountain-cli-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(root.join("work")).unwrap();
        Self {
            api: h.url(""),
            root,
        }
    }

    fn config(&self) -> PathBuf {
        self.root.join("config")
    }

    fn work(&self) -> PathBuf {
        self.root.join("work")
    }

    fn credentials_path(&self) -> PathBuf {
        self.config().join("credentials.json")
    }

    /// The stored session with this stack.
    fn session(&self) -> Value {
        let stored: Value =
            serde_json::from_str(&std::fs::read_to_string(self.credentials_path()).unwrap())
                .unwrap();
        stored["stacks"][&self.api].clone()
    }

    fn set_session(&self, session: Value) {
        let mut stored: Value = std::fs::read_to_string(self.credentials_path())
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_else(|| json!({ "stacks": {} }));
        stored["stacks"][&self.api] = session;
        std::fs::create_dir_all(self.config()).unwrap();
        std::fs::write(self.credentials_path(), stored.to_string()).unwrap();
    }

    fn access_token(&self) -> String {
        self.session()["accessToken"].as_str().unwrap().to_owned()
    }

    /// Runs `fountain args...` (standard input `stdin`, or none).
    async fn run(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_fountain"))
            .args(args)
            .current_dir(self.work())
            .env("FOUNTAIN_API", &self.api)
            .env("FOUNTAIN_CONFIG_DIR", self.config())
            .env_remove("FOUNTAIN_LIVE")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        if let Some(text) = stdin {
            let mut input = child.stdin.take().unwrap();
            input.write_all(text.as_bytes()).await.unwrap();
            drop(input);
        }
        let output = tokio::time::timeout(Duration::from_secs(180), child.wait_with_output())
            .await
            .unwrap_or_else(|_| panic!("fountain {args:?} did not end"))
            .unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Registers `email` and logs in through the CLI.
    async fn sign_up(&self, email: &str) {
        let password = format!("{PASSWORD}\n");
        self.run(&["register", email, "--password-stdin"], Some(&password))
            .await
            .ok();
        self.run(&["login", email, "--password-stdin"], Some(&password))
            .await
            .ok();
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn conformance_files() -> Vec<PathBuf> {
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fountain-text/tests/fixtures"
    );
    let mut paths = Vec::new();
    for corpus in ["nyousefi", "screenplain"] {
        paths.extend(
            std::fs::read_dir(format!("{root}/{corpus}"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "fountain")),
        );
    }
    paths.sort();
    paths
}

/// The API's own answer to a GET with `token`: status and body text.
async fn api_get(h: &Harness, token: &str, path: &str) -> (u16, String) {
    let response = h
        .http
        .get(h.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn a_writer_signs_in_imports_the_conformance_files_and_exports_them_as_the_api_does() {
    let h = Harness::start("cli-scripts").await;
    let w = Workspace::new(&h, "scripts");
    w.sign_up("writer@example.org").await;
    #[cfg(unix)]
    assert_eq!(
        mode(&w.credentials_path()),
        0o600,
        "the credentials are the user's alone"
    );

    let me = w.run(&["whoami", "--json"], None).await.ok().json();
    assert_eq!(me["email"], "writer@example.org");
    let table = w.run(&["whoami"], None).await.ok();
    assert!(
        table.stdout.contains("writer@example.org"),
        "{}",
        table.stdout
    );

    let files = conformance_files();
    assert!(files.len() >= 30, "{} conformance files", files.len());
    let token = w.access_token();
    let mut imported = Vec::new();
    for file in &files {
        let path = file.display().to_string();
        let script = w.run(&["import", &path, "--json"], None).await.ok().json();
        let script_id = script["scriptId"].as_str().unwrap().to_owned();

        // Exported to a file, the text is the API's export byte for byte, and parses.
        let out = w.work().join("export.fountain");
        w.run(&["export", &script_id, "-o", out.to_str().unwrap()], None)
            .await
            .ok();
        let exported = std::fs::read_to_string(&out).unwrap();
        let (status, api_text) =
            api_get(&h, &token, &format!("/scripts/{script_id}/fountain")).await;
        assert_eq!(status, 200, "{api_text}");
        assert_eq!(exported, api_text, "{path}");
        fountain_text::parse(&exported).unwrap_or_else(|e| panic!("{path}: {e}"));
        imported.push(script_id);
    }

    // To standard output as well.
    let first = &imported[0];
    let stdout = w.run(&["export", first], None).await.ok().stdout;
    let (_, api_text) = api_get(&h, &token, &format!("/scripts/{first}/fountain")).await;
    assert_eq!(stdout, api_text);

    // A title of the user's choosing.
    let titled = w
        .run(
            &[
                "import",
                files[0].to_str().unwrap(),
                "--title",
                "Chosen",
                "--json",
            ],
            None,
        )
        .await
        .ok()
        .json();
    assert_eq!(titled["title"], "Chosen");

    let listed = w
        .run(&["scripts", "list", "--json"], None)
        .await
        .ok()
        .json();
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["scriptId"].as_str().unwrap())
        .collect();
    for id in &imported {
        assert!(ids.contains(&id.as_str()), "{id} listed");
    }
    let table = w.run(&["scripts", "list"], None).await.ok().stdout;
    assert!(table.contains("Chosen"), "{table}");
    let shown = w
        .run(&["scripts", "show", first, "--json"], None)
        .await
        .ok()
        .json();
    assert_eq!(shown["scriptId"], first.as_str());

    w.run(&["scripts", "delete", first], None).await.ok();
    let gone = w.run(&["scripts", "show", first], None).await;
    assert_eq!(gone.code, REFUSED, "{}", gone.stderr);
    assert!(gone.stderr.starts_with("error: "), "{}", gone.stderr);

    // Logout ends the session here and in the API.
    w.run(&["logout"], None).await.ok();
    assert!(w.session().is_null(), "the session is forgotten");
    let (status, _) = api_get(&h, &token, "/me").await;
    assert_eq!(status, 401);
    let after = w.run(&["whoami"], None).await;
    assert_eq!(after.code, AUTH);
    assert!(after.stderr.contains("not logged in"), "{}", after.stderr);
}

#[tokio::test]
async fn generate_wait_downloads_every_output_of_the_job() {
    let h = Harness::start("cli-generate").await;
    let w = Workspace::new(&h, "generate");
    w.sign_up("maker@example.org").await;
    let file = conformance_files()
        .into_iter()
        .find(|p| p.ends_with("nyousefi/Dialogue.fountain"))
        .unwrap();
    let script_id = w
        .run(&["import", file.to_str().unwrap(), "--quiet"], None)
        .await
        .ok()
        .stdout
        .trim()
        .to_owned();

    let run = w
        .run(&["generate", &script_id, "--wait", "--json"], None)
        .await
        .ok();
    let report = run.json();
    let job = &report["job"];
    assert_eq!(job["status"], "succeeded");
    let job_id = job["jobId"].as_str().unwrap();
    // Without a terminal, the job's states are lines on stderr.
    assert!(
        run.stderr.contains(&format!("job {job_id}: ")),
        "{}",
        run.stderr
    );

    // Every output the job lists is in ./<jobId>/, as its link serves it.
    let token = w.access_token();
    let (status, body) = api_get(&h, &token, &format!("/generations/{job_id}")).await;
    assert_eq!(status, 200, "{body}");
    let links = serde_json::from_str::<Value>(&body).unwrap()["links"]["outputs"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(links.len(), 6, "{links:?}");
    assert_eq!(report["files"].as_array().unwrap().len(), links.len());
    for link in &links {
        let name = link["name"].as_str().unwrap();
        let on_disk = std::fs::read(w.work().join(job_id).join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let served = h
            .http
            .get(link["url"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(on_disk, served.to_vec(), "{name}");
        assert_eq!(
            on_disk.len() as u64,
            link["bytes"].as_u64().unwrap(),
            "{name}"
        );
    }

    // The people's version: a summary table of file, size and kind, into a folder of choice.
    let run = w
        .run(
            &["generate", &script_id, "--wait", "--out", "outputs"],
            None,
        )
        .await
        .ok();
    for kind in ["prose", "Fountain", "LilyPond", "MIDI", "Csound"] {
        assert!(run.stdout.contains(kind), "{kind} in\n{}", run.stdout);
    }
    assert!(w.work().join("outputs").join("score.mid").is_file());
}

#[tokio::test]
async fn bad_input_is_refused_with_the_problem_and_the_documented_exit_code() {
    let h = Harness::start("cli-bad-input").await;
    let w = Workspace::new(&h, "bad-input");

    // Not logged in yet.
    let anonymous = w.run(&["scripts", "list"], None).await;
    assert_eq!(anonymous.code, AUTH, "{}", anonymous.stderr);
    assert!(
        anonymous.stderr.contains("fountain login"),
        "{}",
        anonymous.stderr
    );

    w.sign_up("careful@example.org").await;

    // A wrong password: the API's problem, word for word.
    let wrong = w
        .run(
            &["login", "careful@example.org", "--password-stdin"],
            Some("not the password\n"),
        )
        .await;
    assert_eq!(wrong.code, AUTH, "{}", wrong.stderr);
    let refused = h
        .http
        .post(h.url("/auth/login"))
        .json(&json!({ "email": "careful@example.org", "password": "not the password either" }))
        .send()
        .await
        .unwrap();
    let problem: Value = refused.json().await.unwrap();
    assert!(
        wrong.stderr.contains(problem["title"].as_str().unwrap())
            && wrong.stderr.contains(problem["detail"].as_str().unwrap()),
        "{}\nvs {problem}",
        wrong.stderr
    );

    // A missing file: a usage error, before any request.
    let missing = w.run(&["import", "no-such-file.fountain"], None).await;
    assert_eq!(missing.code, USAGE, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("cannot read no-such-file.fountain"),
        "{}",
        missing.stderr
    );

    // A PNG: the API refuses it (not UTF-8 text), and the CLI says so in the API's words.
    let png = w.work().join("cover.png");
    let mut bytes =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    bytes.extend(std::iter::repeat_n(0xff_u8, 64));
    std::fs::write(&png, &bytes).unwrap();
    let image = w.run(&["import", png.to_str().unwrap()], None).await;
    assert_eq!(image.code, REFUSED, "{}", image.stderr);
    let direct = h
        .http
        .post(h.url("/scripts/import"))
        .bearer_auth(w.access_token())
        .header("content-type", "text/plain; charset=utf-8")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status().as_u16(), 400);
    let problem: Value = direct.json().await.unwrap();
    assert!(
        image.stderr.contains(problem["title"].as_str().unwrap())
            && image.stderr.contains(problem["detail"].as_str().unwrap()),
        "{}\nvs {problem}",
        image.stderr
    );
    assert!(
        !image.stderr.contains("Error {"),
        "no Debug output: {}",
        image.stderr
    );

    // Bad arguments, and an API nobody answers at.
    let usage = w.run(&["scripts", "frobnicate"], None).await;
    assert_eq!(usage.code, USAGE, "{}", usage.stderr);
    let nowhere = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let api = format!("http://127.0.0.1:{port}");
        w.run(
            &[
                "login",
                "careful@example.org",
                "--password-stdin",
                "--api",
                &api,
            ],
            Some(&format!("{PASSWORD}\n")),
        )
        .await
    };
    assert_eq!(nowhere.code, UNREACHABLE, "{}", nowhere.stderr);
    assert!(
        nowhere.stderr.contains("cannot reach the API"),
        "{}",
        nowhere.stderr
    );
}

#[tokio::test]
async fn an_expired_or_refused_access_token_is_renewed_with_the_refresh_token() {
    let h = Harness::start("cli-refresh").await;
    let w = Workspace::new(&h, "refresh");
    w.sign_up("renewer@example.org").await;
    let first = w.session();

    // Expired by the stored time: renewed before the call, and the new pair stored.
    let mut expired = first.clone();
    expired["accessToken"] = json!("expired.token.value");
    expired["expiresAt"] = json!("2020-01-01T00:00:00Z");
    w.set_session(expired);
    let me = w.run(&["whoami", "--json"], None).await.ok().json();
    assert_eq!(me["email"], "renewer@example.org");
    let second = w.session();
    assert_ne!(
        second["refreshToken"], first["refreshToken"],
        "the spent refresh token is replaced"
    );
    assert_ne!(second["accessToken"], "expired.token.value");
    #[cfg(unix)]
    assert_eq!(mode(&w.credentials_path()), 0o600);

    // Refused by the API (401) though not expired by the clock: renewed, and the call made again.
    let mut refused = second.clone();
    refused["accessToken"] = json!("refused.token.value");
    w.set_session(refused);
    w.run(&["whoami"], None).await.ok();
    let third = w.session();
    assert_ne!(third["refreshToken"], second["refreshToken"]);

    // A spent refresh token: the session has ended, log in again.
    let mut spent = third.clone();
    spent["accessToken"] = json!("refused.again");
    spent["refreshToken"] = first["refreshToken"].clone();
    w.set_session(spent);
    let ended = w.run(&["whoami"], None).await;
    assert_eq!(ended.code, AUTH, "{}", ended.stderr);
    assert!(ended.stderr.contains("fountain login"), "{}", ended.stderr);
    assert!(w.session().is_null(), "the ended session is forgotten");
}

#[tokio::test]
async fn an_administrator_tails_events_and_reads_the_settings() {
    let h = Harness::start("cli-admin").await;
    let w = Workspace::new(&h, "admin");
    // An administrator's development token (the stack signs it), stored as a session.
    w.set_session(json!({
        "accessToken": Harness::token(ADMIN),
        "refreshToken": "none",
        "expiresAt": (chrono::Utc::now() + chrono::Duration::minutes(4)).to_rfc3339(),
    }));

    let setting = w
        .run(
            &[
                "admin",
                "config",
                "get",
                "MAX_REQUESTS_PER_MINUTE",
                "--json",
            ],
            None,
        )
        .await
        .ok()
        .json();
    assert_eq!(setting["key"], "MAX_REQUESTS_PER_MINUTE");
    let queues = w
        .run(&["admin", "dead-letters", "list", "--json"], None)
        .await
        .ok()
        .json();
    assert!(
        queues["items"].as_array().is_some_and(|q| !q.is_empty()),
        "{queues}"
    );

    // The tail prints the event of a request with the correlation id it follows; scripts
    // are made until it has (its first look starts about when the process does).
    let mut tail = tokio::process::Command::new(env!("CARGO_BIN_EXE_fountain"))
        .args([
            "events",
            "tail",
            "--type",
            "ScriptCreated",
            "--correlation-id",
            "cli-tail",
            "--count",
            "1",
            "--json",
        ])
        .current_dir(w.work())
        .env("FOUNTAIN_API", &w.api)
        .env("FOUNTAIN_CONFIG_DIR", w.config())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut status = None;
    for _ in 0..30 {
        let created = Harness::send(
            h.request(reqwest::Method::POST, "/scripts", Some("tailed"))
                .header("x-correlation-id", "cli-tail")
                .json(&json!({ "title": "Tailed" })),
        )
        .await;
        assert_eq!(created.status, 201, "{:?}", created.body);
        if let Ok(exited) = tokio::time::timeout(Duration::from_secs(3), tail.wait()).await {
            status = Some(exited.unwrap());
            break;
        }
    }
    let status = status.expect("the tail printed an event and ended");
    let mut stdout = String::new();
    tail.stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .await
        .unwrap();
    assert!(status.success(), "{stdout}");
    let event: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(event["type"], "ScriptCreated");
    assert_eq!(event["correlationId"], "cli-tail");
    assert_eq!(event["actor"], "tailed");
}

/// `fountain watch` against the stack's own WebSocket API: it prints a co-writer's change as
/// it happens, and a stranger's watch ends with the refusal and exit 1.
#[tokio::test]
async fn watch_prints_changes_as_they_happen_and_refuses_a_stranger() {
    use tokio::io::AsyncBufReadExt;
    let h = Harness::start("cli-watch").await;
    let w = Workspace::new(&h, "watch");
    w.sign_up("watcher@example.org").await;
    let file = conformance_files()[0].display().to_string();
    let script = w.run(&["import", &file, "--json"], None).await.ok().json();
    let script_id = script["scriptId"].as_str().unwrap().to_owned();

    let mut watching = tokio::process::Command::new(env!("CARGO_BIN_EXE_fountain"))
        .args(["watch", &script_id, "--json"])
        .current_dir(w.work())
        .env("FOUNTAIN_API", &w.api)
        .env("FOUNTAIN_CONFIG_DIR", w.config())
        .env_remove("FOUNTAIN_LIVE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(watching.stdout.take().unwrap()).lines();
    let mut next_of = async |kind: &str| loop {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .unwrap_or_else(|_| panic!("no {kind} line in time"))
            .unwrap()
            .unwrap_or_else(|| panic!("watch ended before a {kind}"));
        let message: Value = serde_json::from_str(&line).unwrap();
        if message["type"] == kind {
            return message;
        }
    };
    next_of("subscribed").await;

    // A change made through the API reaches the watching process.
    let section = h
        .http
        .post(h.url(&format!("/scripts/{script_id}/sections")))
        .bearer_auth(w.access_token())
        .json(&json!({ "level": "scene", "title": "EXT. WATCHED STREET - DAY" }))
        .send()
        .await
        .unwrap();
    assert_eq!(section.status(), 201);
    let section: Value = section.json().await.unwrap();
    let change = next_of("change").await;
    assert_eq!(change["event"], "SectionAdded");
    assert_eq!(change["ids"]["sectionId"], section["sectionId"]);
    assert_eq!(change["yours"], true);
    watching.kill().await.unwrap();

    // Someone who may not read the script is refused, with the problem's words.
    let stranger = Workspace::new(&h, "watch-stranger");
    stranger.sign_up("stranger@example.org").await;
    let refused = stranger.run(&["watch", &script_id], None).await;
    assert_eq!(refused.code, REFUSED, "stderr: {}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("No script with this id is visible to you"),
        "{}",
        refused.stderr
    );
}
